import Foundation
@testable import GatewayService
import Testing

/// Tokens, password hashes and the scope of a caller: the gateway's rules, tested directly.
@Suite("Gateway identity")
struct GatewayIdentityTests {
    @Test("a token has its prefix, 32 random characters and a checksum that catches a typo")
    func tokenFormat() {
        let token = APIToken.generate(.api).secret
        #expect(token.hasPrefix("slc_") && token.count == 4 + 32 + 6)
        #expect(APIToken.kind(of: token) == .api)
        let session = APIToken.generate(.session).secret
        #expect(session.hasPrefix("slcs_") && APIToken.kind(of: session) == .session)
        var typo = Array(token)
        typo[10] = typo[10] == "a" ? "b" : "a"
        #expect(APIToken.kind(of: String(typo)) == nil, "one changed character fails the checksum")
        #expect(APIToken.kind(of: String(token.dropLast())) == nil, "a cut token is refused")
        #expect(APIToken.kind(of: "slc_" + String(repeating: "x", count: 38)) == nil)
        #expect(APIToken.generate(.api) != APIToken.generate(.api))
        #expect(APIToken.hash(token).count == 64 && !APIToken.hash(token).contains(token))
        #expect(APIToken.hint(token) == String(token.prefix(8)) + "…")
    }

    @Test("CRC-32 is the IEEE one")
    func checksum() {
        // CRC-32("123456789") = 0xCBF43926 = 3421780262, in base62.
        var value: UInt32 = 0xCBF4_3926
        var digits: [Character] = []
        for _ in 0..<6 {
            digits.append(Character(UnicodeScalar(APIToken.alphabet[Int(value % 62)])))
            value /= 62
        }
        #expect(APIToken.checksum("123456789") == String(digits.reversed()))
    }

    @Test("Argon2id hashes verify, carry their parameters and ask for a re-hash when they change")
    func passwords() throws {
        let hasher = PasswordHasher(memoryKiB: 1024, iterations: 1, parallelism: 1)
        let hash = try hasher.hash("correct horse battery")
        #expect(hash.hasPrefix("$argon2id$v=19$m=1024,t=1,p=1$"))
        #expect(hasher.verify("correct horse battery", against: hash))
        #expect(!hasher.verify("correct horse batterz", against: hash))
        #expect(!hasher.verify("x", against: "$2b$10$notargon"))
        #expect(try hasher.hash("same") != hasher.hash("same"), "a fresh salt each time")
        #expect(!hasher.needsRehash(hash))
        #expect(PasswordHasher().needsRehash(hash), "OWASP's defaults differ: re-hash at the next sign-in")
        #expect(PasswordHasher().verify("correct horse battery", against: hash), "old parameters still verify")
    }

    @Test("passwords need 12 characters and at most 1,024 bytes")
    func passwordRule() {
        #expect(throws: Problem.self) { try Passwords.check("short") }
        #expect(throws: Problem.self) { try Passwords.check(String(repeating: "x", count: 1025)) }
        #expect(throws: Never.self) { try Passwords.check("twelve chars") }
    }

    @Test("a caller acts with the lower role and sees the user's projects narrowed to the token's")
    func scope() {
        var (role, projects) = Caller.scope(userRole: .admin, tokenRole: .member, memberships: [], tokenProjects: nil)
        #expect(role == .member && projects == nil, "an admin's member token still sees every project")
        (role, projects) = Caller.scope(userRole: .member, tokenRole: .admin, memberships: ["a", "b"], tokenProjects: nil)
        #expect(role == .member && projects == ["a", "b"], "a token never has more power than its user")
        (role, projects) = Caller.scope(userRole: .member, tokenRole: .viewer, memberships: ["a", "b"], tokenProjects: ["a", "c"])
        #expect(role == .viewer && projects == ["a"])
        (role, projects) = Caller.scope(userRole: .operator, tokenRole: .operator, memberships: [], tokenProjects: ["x"])
        #expect(role == .operator && projects == ["x"])
        #expect(Role.viewer < .member && Role.member < .operator && Role.operator < .admin)
    }

    @Test("a caller outside a project gets 404, inside it without the permission 403")
    func access() {
        let caller = Caller(userId: "u", userName: "v", role: .viewer, projects: ["a"], tokenId: "t", kind: .api)
        #expect(throws: Never.self) { try caller.requireProject("a", "job 1") }
        do { try caller.requireProject("b", "job 1"); Issue.record("no error") } catch let problem as Problem {
            #expect(problem.status == .notFound)
        } catch { Issue.record("\(error)") }
        do { try caller.require(.jobsSubmit); Issue.record("no error") } catch let problem as Problem {
            #expect(problem.status == .forbidden && problem.code == "auth.forbidden")
        } catch { Issue.record("\(error)") }
    }
}
