package io.multiaz.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

final class RdsFaultTest {
    private static final Path RDS_MODEL = Path.of("/usr/lib/python3/dist-packages/awscli/botocore/data/rds/2014-10-31/service-2.json");
    private static final Set<RdsFault> COMMON = Set.of(RdsFault.MISSING_AUTHENTICATION_TOKEN,
            RdsFault.INVALID_CLIENT_TOKEN_ID, RdsFault.SIGNATURE_DOES_NOT_MATCH, RdsFault.INCOMPLETE_SIGNATURE,
            RdsFault.REQUEST_EXPIRED, RdsFault.MISSING_ACTION, RdsFault.INVALID_ACTION, RdsFault.MISSING_PARAMETER,
            RdsFault.INVALID_PARAMETER_VALUE, RdsFault.INVALID_PARAMETER_COMBINATION, RdsFault.MALFORMED_QUERY_STRING,
            RdsFault.REQUEST_ENTITY_TOO_LARGE, RdsFault.REQUEST_URI_TOO_LONG, RdsFault.REQUEST_HEADER_FIELDS_TOO_LARGE,
            RdsFault.INVALID_REQUEST, RdsFault.INTERNAL_FAILURE, RdsFault.SERVICE_UNAVAILABLE);

    @Test
    void rdsFaults_matchCodeStatusAndSenderOfTheServiceModel() throws Exception {
        assumeTrue(Files.exists(RDS_MODEL), "the AWS CLI's RDS service model is not installed");
        Map<String, JsonNode> errorsByCode = new HashMap<>();
        new ObjectMapper().readTree(RDS_MODEL.toFile()).get("shapes").fields().forEachRemaining(shape -> {
            JsonNode error = shape.getValue().get("error");
            if (error != null) {
                errorsByCode.put(error.get("code").asText(), error);
            }
        });

        for (RdsFault fault : RdsFault.values()) {
            if (COMMON.contains(fault)) {
                continue;
            }
            JsonNode error = errorsByCode.get(fault.code());
            assertThat(error).as("%s in the service model", fault.code()).isNotNull();
            assertThat(fault.httpStatus()).as(fault.code()).isEqualTo(error.get("httpStatusCode").asInt());
            assertThat(fault.type()).as(fault.code()).isEqualTo(error.path("senderFault").asBoolean() ? "Sender" : "Receiver");
        }
    }

    @Test
    void commonFaults_haveAwsDocumentedStatuses() {
        assertThat(RdsFault.MISSING_AUTHENTICATION_TOKEN.httpStatus()).isEqualTo(403);
        assertThat(RdsFault.INVALID_CLIENT_TOKEN_ID.httpStatus()).isEqualTo(403);
        assertThat(RdsFault.SIGNATURE_DOES_NOT_MATCH.httpStatus()).isEqualTo(403);
        assertThat(RdsFault.REQUEST_EXPIRED.httpStatus()).isEqualTo(400);
        assertThat(RdsFault.INCOMPLETE_SIGNATURE.httpStatus()).isEqualTo(400);
        assertThat(RdsFault.INTERNAL_FAILURE.type()).isEqualTo("Receiver");
        assertThat(RdsFault.REQUEST_ENTITY_TOO_LARGE.httpStatus()).isEqualTo(413);
        assertThat(RdsFault.REQUEST_URI_TOO_LONG.httpStatus()).isEqualTo(414);
        assertThat(RdsFault.REQUEST_HEADER_FIELDS_TOO_LARGE.httpStatus()).isEqualTo(431);
    }
}
