# What a broker user may do, tried with another language's AMQP client (pika): publish the
# allowed routing key and a denied one to sluice.events, publish to sluice.dlx, declare a queue,
# consume a queue that is not its own. Prints the outcomes as JSON.
#   broker_probe.py ADMIN_URL USER_URL ALLOWED_KEY DENIED_KEY
import json, sys, uuid
import pika
admin_url, user_url, allowed_key, denied_key = sys.argv[1:5]
admin = pika.BlockingConnection(pika.URLParameters(admin_url)); a = admin.channel()
a.exchange_declare("sluice.events", "topic", durable=True)
probe = a.queue_declare("", exclusive=True).method.queue
a.queue_bind(probe, "sluice.events", allowed_key)
results = {}
def attempt(name, action):
    connection = pika.BlockingConnection(pika.URLParameters(user_url))
    channel = connection.channel(); channel.confirm_delivery()
    try:
        action(channel); results[name] = "ok"
    except pika.exceptions.ChannelClosedByBroker as error:
        results[name] = "refused %d" % error.reply_code
    except pika.exceptions.UnroutableError:
        results[name] = "unroutable"
    finally:
        try: connection.close()
        except Exception: pass
def publish(key):
    body = json.dumps({"id": str(uuid.uuid4()), "type": key, "version": 1, "correlationId": "probe", "attempt": 1,
                       "occurredAt": "2026-12-06T00:00:00.000Z", "producer": "probe",
                       "payload": {"source": {"kind": "inline", "content": "a\n1\n"}, "options": {"dryRun": True}}})
    return lambda c: c.basic_publish("sluice.events", key, body, pika.BasicProperties(delivery_mode=2, content_type="application/json"), mandatory=True)
attempt("publish " + allowed_key, publish(allowed_key))
attempt("publish " + denied_key, publish(denied_key))
attempt("publish to sluice.dlx", lambda c: c.basic_publish("sluice.dlx", "ingest", b"{}"))
attempt("declare a queue", lambda c: c.queue_declare("sluice.probe-" + uuid.uuid4().hex))
attempt("consume another's queue", lambda c: c.basic_consume(probe, lambda *a: None))
method, _, body = a.basic_get(probe, auto_ack=True)
results["received"] = method is not None
admin.close()
print(json.dumps(results))
