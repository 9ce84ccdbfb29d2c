import Contracts

extension Envelope {
    /// The envelope with `producer` set to `service`: the runtime stamps the sender, so no
    /// handler writes its own name (and none can get it wrong).
    func from(_ service: String) -> Envelope {
        var envelope = self
        envelope.producer = service
        return envelope
    }
}
