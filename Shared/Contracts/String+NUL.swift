extension String {
    /// The text with every NUL replaced by U+FFFD. PostgreSQL rejects NUL in `text` and
    /// `jsonb`, and JSON carries it as `\u0000`, which Sluice refuses as a permanent error;
    /// where text must travel or be stored anyway, the replacement keeps the damage visible.
    public var replacingNUL: String {
        utf8.contains(0) ? replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : self
    }
}
