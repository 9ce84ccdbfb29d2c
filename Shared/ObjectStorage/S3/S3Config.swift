/// Where an S3-compatible object store is and how to sign for it (`storage.s3.*`).
public struct S3Config: Sendable, Equatable {
    /// The endpoint, scheme and authority only (`http://127.0.0.1:28333`, `https://s3.eu-west-1.amazonaws.com`);
    /// requests use path-style addressing (`<endpoint>/<bucket>/<key>`).
    public var endpoint: String
    /// The bucket holding every object.
    public var bucket: String
    /// The region in the signature (`us-east-1` for most S3-compatible servers).
    public var region: String
    /// The access key id.
    public var accessKey: String
    /// The secret access key.
    public var secretKey: String
    /// A local directory for spool files (artifacts written piece by piece before upload).
    public var spool: String
    /// A bound on one request, connection included.
    public var timeout: Duration
    /// Files larger than this are uploaded in parts of this size (S3 takes at most 5 GiB in
    /// one PUT, and a part of at least 5 MiB); more parts than S3's 10,000 make them larger.
    public var multipartBytes: Int

    public init(endpoint: String, bucket: String, region: String = "us-east-1", accessKey: String, secretKey: String,
                spool: String, timeout: Duration = .seconds(120), multipartBytes: Int = 64 << 20) {
        self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        self.bucket = bucket
        self.region = region
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.spool = spool
        self.timeout = timeout
        self.multipartBytes = max(multipartBytes, 5 << 20)
    }
}
