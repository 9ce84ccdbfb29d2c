import Foundation
import Hummingbird
import Logging
import Outbound
import ServiceLifecycle
import Testing
import Toolkit

/// The SSRF-safe fetcher: address policy, URL checks, redirects re-checked, size caps —
/// against a real HTTP server on loopback.
@Suite("SSRF-safe fetching")
struct SafeFetcherTests {
    @Test("networks parse and match, IPv4-mapped IPv6 included")
    func networks() throws {
        let ten = try #require(IPNetwork("10.0.0.0/8"))
        #expect(ten.contains(try #require(IPNetwork.parse("10.200.3.4"))))
        #expect(!ten.contains(try #require(IPNetwork.parse("11.0.0.1"))))
        #expect(ten.contains(try #require(IPNetwork.parse("::ffff:10.1.2.3"))))
        #expect(IPNetwork("10.0.0.0/33") == nil && IPNetwork("nope") == nil)
        let v6 = try #require(IPNetwork("fe80::/10"))
        let inside = try #require(IPNetwork.parse("fe80::1"))
        let outside = try #require(IPNetwork.parse("2001:4860::1"))
        #expect(v6.contains(inside) && !v6.contains(outside))
    }

    @Test("loopback, private, link-local and metadata addresses are refused unless allow-listed",
          arguments: ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "0.0.0.0", "100.64.0.1",
                      "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "224.0.0.1"])
    func refused(_ address: String) throws {
        let bytes = try #require(IPNetwork.parse(address))
        #expect(!AddressPolicy().permits(bytes))
        #expect(AddressPolicy(allowed: [try #require(IPNetwork(address))]).permits(bytes))
    }

    @Test("public addresses are permitted", arguments: ["93.184.216.34", "8.8.8.8", "2606:4700::1111"])
    func permitted(_ address: String) throws {
        #expect(AddressPolicy().permits(try #require(IPNetwork.parse(address))))
    }

    static func code(of body: () async throws -> Void) async -> String? {
        do { try await body(); return nil } catch let error as OutboundError { return error.code } catch { return "\(error)" }
    }

    @Test("bad schemes, credentials and names resolving to loopback are refused before connecting")
    func refusedBeforeConnecting() async {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fetch-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(await Self.code { _ = try await SafeFetcher.fetch("ftp://example.org/x", to: path, policy: AddressPolicy()) }
                == "fetch.scheme-refused")
        #expect(await Self.code { _ = try await SafeFetcher.fetch("file:///etc/passwd", to: path, policy: AddressPolicy()) }
                == "fetch.scheme-refused")
        #expect(await Self.code { _ = try await SafeFetcher.fetch("http://u:p@example.org/", to: path, policy: AddressPolicy()) }
                == "fetch.bad-url")
        #expect(await Self.code { _ = try await SafeFetcher.fetch("http://localhost:9/x", to: path, policy: AddressPolicy()) }
                == "fetch.address-refused")
        #expect(await Self.code { _ = try await SafeFetcher.fetch("http://[::1]:9/x", to: path, policy: AddressPolicy()) }
                == "fetch.address-refused")
    }

    @Test("a fetch follows redirects one by one, re-checking each target, and caps size")
    func redirectsAndCaps() async throws {
        let router = Router()
        router.get("ok") { _, _ in "a,b\n1,2\n" }
        router.get("hop") { _, _ in Response(status: .found, headers: [.location: "/ok"]) }
        router.get("metadata") { _, _ in
            Response(status: .found, headers: [.location: "http://169.254.169.254/latest/meta-data/"])
        }
        router.get("big") { _, _ in String(repeating: "x", count: 300_000) }
        router.get("missing") { _, _ in Response(status: .notFound) }
        let port = LockedValue<Int?>(nil)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in port.set(channel.localAddress?.port) },
                              logger: Logger(label: "fetch-test"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            while port.get() == nil { try await Task.sleep(for: .milliseconds(20)) }
            let base = "http://127.0.0.1:\(port.get()!)"
            let loopback = AddressPolicy(allowed: [IPNetwork("127.0.0.0/8")!])
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("fetch-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            // Refused by default even though the server is up.
            #expect(await Self.code { _ = try await SafeFetcher.fetch("\(base)/ok", to: path, policy: AddressPolicy()) }
                    == "fetch.address-refused")
            let result = try await SafeFetcher.fetch("\(base)/hop", to: path, policy: loopback)
            #expect(result.finalURL == "\(base)/ok" && result.bytes == 8)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "a,b\n1,2\n")
            #expect(await Self.code { _ = try await SafeFetcher.fetch("\(base)/metadata", to: path, policy: loopback) }
                    == "fetch.address-refused")
            #expect(await Self.code {
                _ = try await SafeFetcher.fetch("\(base)/big", to: path, policy: loopback, limits: FetchLimits(maxBytes: 100_000))
            } == "fetch.too-large")
            #expect(await Self.code {
                _ = try await SafeFetcher.fetch("\(base)/hop", to: path, policy: loopback, limits: FetchLimits(maxRedirects: 0))
            } == "fetch.too-many-redirects")
            #expect(await Self.code { _ = try await SafeFetcher.fetch("\(base)/missing", to: path, policy: loopback) }
                    == "fetch.http-status")
            group.cancelAll()
        }
    }
}
