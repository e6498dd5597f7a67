package io.pressroom.deploy.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.common.Refusal;
import io.pressroom.common.Violation;

/** The data contract without the application: schemas compiled, payloads checked, pointers formatted. */
class PayloadContractsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INVOICE = """
            {
              "type": "object",
              "required": ["customer", "items"],
              "properties": {
                "customer": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
                "items": {"type": "array", "items": {"type": "object", "properties": {"qty": {"type": "integer"}}}},
                "notes": {"type": "object", "additionalProperties": false, "properties": {"a/b~c": {"type": "string"}}}
              }
            }""";

    private final PayloadContracts contracts = new PayloadContracts(262_144, 10);

    @Test
    void aMissingPropertyPointsAtTheProperty() {
        assertThat(violations(INVOICE, """
                {"customer": {}, "items": []}""")).containsExactly(
                new Violation("/customer/name", "required property 'name' not found"));
    }

    @Test
    void everyViolationIsListedWithItsPointer() {
        assertThat(violations(INVOICE, """
                {"customer": {"name": 7}, "items": [{"qty": 1}, {"qty": "two"}], "notes": {"a/b~c": 1, "x": "y"}}"""))
                .extracting(Violation::pointer)
                .containsExactlyInAnyOrder("/customer/name", "/items/1/qty", "/notes/a~1b~0c", "/notes/x");
    }

    @Test
    void theWholeDocumentIsTheEmptyPointer() {
        assertThat(violations(INVOICE, "[]")).extracting(Violation::pointer).containsExactly("");
    }

    @Test
    void aValidPayloadPasses() {
        contracts.check("dv_1", node(INVOICE), """
                {"customer": {"name": "Acme"}, "items": [{"qty": 2}]}""", "payload");
    }

    @Test
    void manyViolationsAreCountedAndTheFirstHundredListed() {
        String payload = "{\"customer\": {\"name\": \"Acme\"}, \"items\": ["
                + String.join(",", java.util.Collections.nCopies(250, "{\"qty\": \"x\"}")) + "]}";
        Refusal.Invalid refused = catchThrowableOfType(Refusal.Invalid.class,
                () -> contracts.check("dv_2", node(INVOICE), payload, "payload"));
        assertThat(refused.code()).isEqualTo("payload_invalid");
        assertThat(refused.violations()).hasSize(PayloadContracts.MAX_LISTED);
        assertThat(refused.detail()).startsWith("payload: does not match the version's schema in 250 places "
                + "(the first 100 are listed): /items/0/qty");
    }

    @Test
    void aSchemaThatIsNotA2020SchemaIsRefusedNamingTheField() {
        Refusal.Invalid refused = catchThrowableOfType(Refusal.Invalid.class,
                () -> contracts.compile("schema", node("{\"type\": 12}")));
        assertThat(refused.code()).isEqualTo("invalid_request");
        assertThat(refused.detail()).startsWith("schema: is not a valid JSON Schema (draft 2020-12): /type");
        assertThatThrownBy(() -> contracts.compile("schema.json",
                node("{\"$schema\": \"http://json-schema.org/draft-07/schema#\"}")))
                .isInstanceOf(Refusal.Invalid.class).hasMessageStartingWith("schema.json.$schema: must be absent or");
        assertThatThrownBy(() -> contracts.compile("schema", node("\"text\"")))
                .isInstanceOf(Refusal.Invalid.class).hasMessageStartingWith("schema: must be a JSON Schema");
    }

    @Test
    void aSchemaOverTheLimitIsTooLarge() {
        assertThatThrownBy(() -> new PayloadContracts(10, 10).compile("schema", node(INVOICE)))
                .isInstanceOf(Refusal.TooLarge.class).hasMessage("schema: is larger than 10 bytes");
    }

    @Test
    void aRemoteRefIsRefusedWithoutConnecting() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // accepts (and drops) while the schema is compiled: a validator that fetched would connect here
            listener.setSoTimeout(1_000);
            CompletableFuture<Boolean> connected = CompletableFuture.supplyAsync(() -> {
                try (Socket ignored = listener.accept()) {
                    return true;
                } catch (SocketTimeoutException e) {
                    return false;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            String schema = "{\"properties\": {\"a\": {\"$ref\": \"http://127.0.0.1:" + listener.getLocalPort()
                    + "/x\"}}}";
            // preemptive: a validator that fetched would wait for an answer the listener never sends
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(
                    () -> contracts.compile("schema", node(schema)))
                    .isInstanceOf(Refusal.Invalid.class)
                    .hasMessageStartingWith("schema: cannot be used: a $ref points outside the schema")
                    .hasMessageNotContaining("Exception"));
            assertThat(connected.get(5, TimeUnit.SECONDS)).as("the validator connected to the $ref's address")
                    .isFalse();
        }
    }

    @Test
    void aRefWithinTheSchemaIsFollowed() {
        String schema = """
                {"$defs": {"name": {"type": "string", "minLength": 1}},
                 "properties": {"customer": {"$ref": "#/$defs/name"}}}""";
        assertThat(violations(schema, "{\"customer\": \"\"}")).extracting(Violation::pointer)
                .containsExactly("/customer");
    }

    private java.util.List<Violation> violations(String schema, String payload) {
        Refusal.Invalid refused = catchThrowableOfType(Refusal.Invalid.class,
                () -> PayloadContracts.check(contracts.compile("schema", node(schema)), payload, "payload"));
        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.code()).isEqualTo("payload_invalid");
        return refused.violations();
    }

    private static JsonNode node(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
