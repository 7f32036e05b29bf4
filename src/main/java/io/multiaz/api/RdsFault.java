package io.multiaz.api;

/**
 * Every error the RDS-compatible API answers with: the wire code, the HTTP status and whether the
 * caller ({@code Sender}) or the service ({@code Receiver}) is at fault. Code throws
 * {@link ApiException} holding one of these; only {@link RdsXml} renders them.
 *
 * <p>The first group are the errors common to all AWS Query services (authentication and protocol);
 * the rest are RDS's own, with codes and statuses exactly as the service model the AWS CLI ships
 * declares them (note that some codes drop the {@code Fault} suffix of their shape, e.g.
 * {@code DBInstanceNotFound}).
 */
public enum RdsFault {
    // common to all AWS Query services
    MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationToken", 403),
    INVALID_CLIENT_TOKEN_ID("InvalidClientTokenId", 403),
    SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch", 403),
    INCOMPLETE_SIGNATURE("IncompleteSignature", 400),
    REQUEST_EXPIRED("RequestExpired", 400),
    MISSING_ACTION("MissingAction", 400),
    INVALID_ACTION("InvalidAction", 400),
    MISSING_PARAMETER("MissingParameter", 400),
    INVALID_PARAMETER_VALUE("InvalidParameterValue", 400),
    INVALID_PARAMETER_COMBINATION("InvalidParameterCombination", 400),
    /** AWS documents 404 for this one; kept for compatibility. */
    MALFORMED_QUERY_STRING("MalformedQueryString", 404),
    /** A body over {@link RequestLimits#maxBodyBytes()}; AWS has no common code for it, the name is S3's and API Gateway's. */
    REQUEST_ENTITY_TOO_LARGE("RequestEntityTooLarge", 413),
    /** A request line over the HTTP server's limit, refused by the server before the API sees it. */
    REQUEST_URI_TOO_LONG("RequestURITooLong", 414),
    /** Headers over the HTTP server's limit, refused by the server before the API sees it. */
    REQUEST_HEADER_FIELDS_TOO_LARGE("RequestHeaderFieldsTooLarge", 431),
    /** Anything else the HTTP server refuses before the API sees it (a request that is not HTTP/1.1 as sent). */
    INVALID_REQUEST("InvalidRequest", 400),
    INTERNAL_FAILURE("InternalFailure", 500, false),
    SERVICE_UNAVAILABLE("ServiceUnavailable", 503, false),

    // RDS
    DB_CLUSTER_NOT_FOUND("DBClusterNotFoundFault", 404),
    DB_CLUSTER_ALREADY_EXISTS("DBClusterAlreadyExistsFault", 400),
    INVALID_DB_CLUSTER_STATE("InvalidDBClusterStateFault", 400),
    DB_CLUSTER_QUOTA_EXCEEDED("DBClusterQuotaExceededFault", 403),
    DB_CLUSTER_SNAPSHOT_ALREADY_EXISTS("DBClusterSnapshotAlreadyExistsFault", 400),
    DB_CLUSTER_SNAPSHOT_NOT_FOUND("DBClusterSnapshotNotFoundFault", 404),
    INVALID_DB_CLUSTER_SNAPSHOT_STATE("InvalidDBClusterSnapshotStateFault", 400),
    SNAPSHOT_QUOTA_EXCEEDED("SnapshotQuotaExceeded", 400),
    DB_INSTANCE_NOT_FOUND("DBInstanceNotFound", 404),
    DB_INSTANCE_ALREADY_EXISTS("DBInstanceAlreadyExists", 400),
    INVALID_DB_INSTANCE_STATE("InvalidDBInstanceState", 400),
    INSUFFICIENT_DB_INSTANCE_CAPACITY("InsufficientDBInstanceCapacity", 400),
    INSTANCE_QUOTA_EXCEEDED("InstanceQuotaExceeded", 400),
    STORAGE_QUOTA_EXCEEDED("StorageQuotaExceeded", 400),
    DB_SUBNET_GROUP_NOT_FOUND("DBSubnetGroupNotFoundFault", 404),
    DB_SUBNET_GROUP_ALREADY_EXISTS("DBSubnetGroupAlreadyExists", 400),
    INVALID_DB_SUBNET_GROUP_STATE("InvalidDBSubnetGroupStateFault", 400),
    DB_SUBNET_GROUP_DOES_NOT_COVER_ENOUGH_AZS("DBSubnetGroupDoesNotCoverEnoughAZs", 400),
    DB_SUBNET_GROUP_QUOTA_EXCEEDED("DBSubnetGroupQuotaExceeded", 400),
    INVALID_SUBNET("InvalidSubnet", 400),
    DB_CLUSTER_PARAMETER_GROUP_NOT_FOUND("DBClusterParameterGroupNotFound", 404),
    DB_PARAMETER_GROUP_NOT_FOUND("DBParameterGroupNotFound", 404),
    DB_PARAMETER_GROUP_ALREADY_EXISTS("DBParameterGroupAlreadyExists", 400),
    DB_PARAMETER_GROUP_QUOTA_EXCEEDED("DBParameterGroupQuotaExceeded", 400),
    INVALID_DB_PARAMETER_GROUP_STATE("InvalidDBParameterGroupState", 400);

    private final String code;
    private final int httpStatus;
    private final boolean senderFault;

    RdsFault(String code, int httpStatus) {
        this(code, httpStatus, true);
    }

    RdsFault(String code, int httpStatus, boolean senderFault) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.senderFault = senderFault;
    }

    /** The {@code <Code>} on the wire, e.g. {@code DBClusterNotFoundFault}. */
    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** {@code Sender} when the request was wrong, {@code Receiver} when the service failed it. */
    public String type() {
        return senderFault ? "Sender" : "Receiver";
    }
}
