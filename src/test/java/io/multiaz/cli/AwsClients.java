package io.multiaz.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.multiaz.json.Json;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real clients of the RDS API tests, both with the AWS CLI profile {@code multiaz} that
 * {@code up} wrote ({@code api} is the {@code api} object of {@code status --json}): the AWS SDK for
 * Java v2 RDS client and the Debian AWS CLI v2, {@code /usr/bin/aws}.
 */
final class AwsClients {
    private AwsClients() {
    }

    /** An SDK RDS client of the API at {@code api.url}. */
    static RdsClient sdk(JsonNode api) {
        return RdsClient.builder()
                .endpointOverride(URI.create(api.get("url").asText()))
                .region(Region.of(api.get("region").asText()))
                .credentialsProvider(ProfileCredentialsProvider.builder()
                        .profileFile(ProfileFile.builder().content(Path.of(api.get("credentialsFile").asText()))
                                .type(ProfileFile.Type.CREDENTIALS).build())
                        .profileName("multiaz").build())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** What {@code aws rds …} answered: its exit status, its JSON (null when it printed none), its errors. */
    record Answer(int exit, JsonNode json, String err) {
        JsonNode ok() {
            assertThat(exit).as("aws failed: %s", err).isZero();
            return json;
        }
    }

    /** Runs {@code /usr/bin/aws --output json rds <args>} against the API, with nothing of the caller's AWS environment. */
    static Answer cli(JsonNode api, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/aws", "--profile", "multiaz", "--endpoint-url",
                api.get("url").asText(), "--output", "json", "rds"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", api.get("credentialsFile").asText());
        pb.environment().put("AWS_CONFIG_FILE", api.get("configFile").asText());
        pb.environment().remove("AWS_ACCESS_KEY_ID");
        pb.environment().remove("AWS_SECRET_ACCESS_KEY");
        pb.environment().remove("AWS_PROFILE");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        return new Answer(exit, out.isBlank() ? null : Json.mapper().readTree(out), err);
    }
}
