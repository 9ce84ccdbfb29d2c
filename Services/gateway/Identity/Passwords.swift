/// The password rule: 12 to 1,024 characters (long enough to resist guessing; bounded so
/// hashing cannot be used to burn CPU).
enum Passwords {
    static func check(_ password: String) throws {
        guard password.count >= 12 else {
            throw Problem.badRequest("auth.weak-password", "a password needs at least 12 characters")
        }
        guard password.utf8.count <= 1024 else {
            throw Problem.badRequest("auth.weak-password", "a password may have at most 1,024 bytes")
        }
    }
}
