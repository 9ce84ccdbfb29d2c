/// Which object store a service uses (`storage.backend` and its settings), typed.
public enum ObjectStoreConfig: Sendable, Equatable {
    /// A directory on this machine (`storage.local.root`).
    case local(root: String)
    /// An S3-compatible service (`storage.s3.*`).
    case s3(S3Config)

    /// The store this configuration names.
    public func makeStore() -> any ObjectStore {
        switch self {
        case .local(let root): LocalObjectStore(root: root)
        case .s3(let config): S3ObjectStore(config: config)
        }
    }
}
