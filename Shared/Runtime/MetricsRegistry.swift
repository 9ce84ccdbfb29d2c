import Foundation

/// Counters and histograms rendered in the Prometheus text exposition format. Small and
/// lock-based: metric updates happen once per message batch item, far from the hot loop.
public final class MetricsRegistry: @unchecked Sendable {
    private struct Key: Hashable { var name: String; var labels: [String: String] }
    private struct Histogram { var buckets: [Int]; var sum: Double; var count: Int }

    private let lock = NSLock()
    private var counters: [Key: Double] = [:]
    private var histograms: [Key: Histogram] = [:]
    private var help: [String: (type: String, text: String)] = [:]
    private let bounds: [Double] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

    /// Creates an empty registry with Sluice's standard metric descriptions.
    public init() {
        help["sluice_messages_consumed_total"] = ("counter", "Messages consumed, by type and outcome.")
        help["sluice_messages_published_total"] = ("counter", "Messages published with a broker confirm, by type.")
        help["sluice_messages_failed_total"] = ("counter", "Handler failures, by type and disposition.")
        help["sluice_messages_rejected_total"] = ("counter", "Unreadable messages an observer acked without handling.")
        help["sluice_handler_duration_seconds"] = ("histogram", "Handler duration in seconds, by type.")
        help["sluice_messages_retried_total"] = ("counter", "Transient failures sent to a delay queue for another attempt, by type.")
        help["sluice_messages_dead_lettered_total"] = ("counter", "Messages dead-lettered by this service, by type.")
        help["sluice_messages_poison_total"] = ("counter", "Messages dead-lettered for exceeding the delivery limit (they kept killing the consumer).")
        help["sluice_redriven_messages_total"] = ("counter", "Dead letters sent back by re-drives.")
        help["sluice_consumer_stalled"] = ("gauge", "1 while the consumer holds deliveries without settling any for longer than consumer.stall.ms.")
    }

    /// Adds `amount` to a counter.
    public func increment(_ name: String, _ labels: [String: String] = [:], by amount: Double = 1) {
        lock.withLock { counters[Key(name: name, labels: labels), default: 0] += amount }
    }

    /// Sets a gauge (rendered beside the counters, typed by its help entry).
    public func set(_ name: String, _ labels: [String: String] = [:], _ value: Double) {
        lock.withLock { counters[Key(name: name, labels: labels)] = value }
    }

    /// Records one observation in a histogram.
    public func observe(_ name: String, _ labels: [String: String] = [:], _ value: Double) {
        lock.withLock {
            let key = Key(name: name, labels: labels)
            var h = histograms[key] ?? Histogram(buckets: Array(repeating: 0, count: bounds.count), sum: 0, count: 0)
            for (i, bound) in bounds.enumerated() where value <= bound { h.buckets[i] += 1 }
            h.sum += value
            h.count += 1
            histograms[key] = h
        }
    }

    /// The current value of a counter (tests).
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double {
        lock.withLock { counters[Key(name: name, labels: labels)] ?? 0 }
    }

    /// Prometheus text format.
    public func render() -> String {
        lock.withLock {
            var out = ""
            var described = Set<String>()
            func describe(_ name: String) {
                guard described.insert(name).inserted, let h = help[name] else { return }
                out += "# HELP \(name) \(h.text)\n# TYPE \(name) \(h.type)\n"
            }
            for (key, value) in counters.sorted(by: { "\($0.key.name)\($0.key.labels)" < "\($1.key.name)\($1.key.labels)" }) {
                describe(key.name)
                out += "\(key.name)\(Self.format(key.labels)) \(Self.number(value))\n"
            }
            for (key, h) in histograms.sorted(by: { "\($0.key.name)\($0.key.labels)" < "\($1.key.name)\($1.key.labels)" }) {
                describe(key.name)
                for (i, bound) in bounds.enumerated() {
                    out += "\(key.name)_bucket\(Self.format(key.labels, extra: ("le", "\(bound)"))) \(h.buckets[i])\n"
                }
                out += "\(key.name)_bucket\(Self.format(key.labels, extra: ("le", "+Inf"))) \(h.count)\n"
                out += "\(key.name)_sum\(Self.format(key.labels)) \(h.sum)\n"
                out += "\(key.name)_count\(Self.format(key.labels)) \(h.count)\n"
            }
            return out
        }
    }

    private static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }

    private static func format(_ labels: [String: String], extra: (String, String)? = nil) -> String {
        var pairs = labels.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        if let extra { pairs.append(extra) }
        guard !pairs.isEmpty else { return "" }
        let escaped = pairs.map { key, value in
            let v = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
            return "\(key)=\"\(v)\""
        }
        return "{" + escaped.joined(separator: ",") + "}"
    }
}
