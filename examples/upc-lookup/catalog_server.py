#!/usr/bin/env python3
"""A stand-in for an outside product catalog, for the upc-lookup example (standard library only).

    python3 examples/upc-lookup/catalog_server.py [PORT]     # default 8099, loopback only

GET /items/<upc> with `Authorization: Bearer demo-catalog-key` answers the product as JSON;
an unknown UPC is 404, a UPC whose check digit is wrong 422; the first call for every third
UPC answers 503 (the call step retries it), and every seventh 429 with `Retry-After: 1`.
Idempotency keys it has answered are remembered, so a second call after a success shows in
its log as "called again".
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PRODUCTS = {
    "036000291452": ("Tissues, 3-ply, 80 sheets", 2.49),
    "012345678905": ("Notebook, A5, ruled", 3.10),
    "042100005264": ("Pencils HB, box of 12", 4.75),
    "073854009079": ("Glue stick, 21 g", 1.99),
    "016000275287": ("Granola, 350 g", 5.20),
    "070847811169": ("Marker, permanent, black", 1.35),
    "049000028911": ("Sparkling water, 500 ml", 0.95),
}
lock = threading.Lock()
seen = {}
answered = set()


def check_digit_ok(upc):
    if len(upc) != 12 or not upc.isdigit():
        return False
    digits = [int(c) for c in upc]
    total = sum(digits[0:11:2]) * 3 + sum(digits[1:11:2])
    return (10 - total % 10) % 10 == digits[11]


class Catalog(BaseHTTPRequestHandler):
    def do_GET(self):
        parts = self.path.strip("/").split("/")
        key = self.headers.get("Idempotency-Key", "")
        if len(parts) != 2 or parts[0] != "items":
            return self.answer(404, {"error": "no such resource"})
        if self.headers.get("Authorization") != "Bearer demo-catalog-key":
            return self.answer(401, {"error": "missing or wrong API key"})
        upc = parts[1]
        with lock:
            seen[upc] = seen.get(upc, 0) + 1
            first = seen[upc] == 1
            if key in answered:
                sys.stderr.write(f"called again after success: {key}\n")
        number = int(upc) if upc.isdigit() else 0
        if first and number % 3 == 0:
            return self.answer(503, {"error": "busy, try again"})
        if first and number % 7 == 0:
            return self.answer(429, {"error": "slow down"}, {"Retry-After": "1"})
        if not check_digit_ok(upc):
            return self.answer(422, {"error": f"{upc} is not a valid UPC-A (check digit)"})
        if upc not in PRODUCTS:
            return self.answer(404, {"error": f"unknown UPC {upc}"})
        title, price = PRODUCTS[upc]
        with lock:
            answered.add(key)
        self.answer(200, {"product": {"upc": upc, "title": title, "price": price, "currency": "USD"}})

    def answer(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        sys.stderr.write("catalog: " + (format % args) + "\n")


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8099
    ThreadingHTTPServer(("127.0.0.1", port), Catalog).serve_forever()
