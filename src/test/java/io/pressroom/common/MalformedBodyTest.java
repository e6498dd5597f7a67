package io.pressroom.common;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Bodies that are not JSON in any encoding are bad input (400), whatever Jackson makes of their first bytes; bodies
 * past the JSON reader's limits get an answer that names the limit.
 */
@QuarkusTest
class MalformedBodyTest {

    static List<Arguments> bodies() {
        byte[] utf32Like = new byte[65]; // '{' then NULs: Jackson guesses UTF-32 and finds no such character
        utf32Like[0] = '{';
        byte[] tail = "\"L:\"de\"\"".getBytes();
        System.arraycopy(tail, 0, utf32Like, utf32Like.length - tail.length, tail.length);
        String zeroByte = "request body is not valid UTF-8 (it has a zero byte: JSON is read in UTF-8 only, not in "
                + "UTF-16 or UTF-32)";
        return List.of(Arguments.of(utf32Like, zeroByte),
                Arguments.of(new byte[] { (byte) 0xFE, (byte) 0xFF, 0, '{' }, zeroByte),
                Arguments.of(new byte[] { 0, 0, 0, '{' }, zeroByte),
                Arguments.of(new byte[] { '{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}' },
                        "request body is not valid JSON"));
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void bytesThatAreNotJsonAreBadInput(byte[] body, String detail) {
        TestProject project = Api.newProject();
        project.call().body(body).post("/v1/render-jobs").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("invalid_request"))
                .body("detail", equalTo(detail));
    }

    /** Hostile shapes: each answer says what went past which limit, not that a field has the wrong type. */
    @Test
    void jsonPastTheReadersLimitsIsRefusedWithTheLimitNamed() {
        TestProject project = Api.newProject();
        String deep = "{\"html\": \"<p>x</p>\", \"payload\": {\"x\": " + "[".repeat(1500) + "]".repeat(1500) + "}}";
        project.call().body(deep).post("/v1/render-jobs").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("invalid_request"))
                .body("detail", allOf(containsString("payload"), containsString("nesting depth (1001) exceeds the "
                        + "maximum allowed (1000)"), not(containsString("StreamReadConstraints"))));

        String longNumber = "{\"html\": \"<p>x</p>\", \"payload\": {\"x\": " + "1".repeat(2000) + "}}";
        project.call().body(longNumber).post("/v1/render-jobs").then().statusCode(400)
                .body("code", equalTo("invalid_request")).body("detail", containsString("Number value length"));

        // under the body limit (20 MiB), over what a string may hold: only a payload or bundle over its own limit can
        String longString = "{\"html\": \"<p>x</p>\", \"payload\": {\"x\": \"" + "a".repeat(20_000_001) + "\"}}";
        project.call().body(longString).post("/v1/render-jobs").then().statusCode(413)
                .contentType("application/problem+json").body("code", equalTo("payload_too_large"))
                .body("detail", containsString("String value length"));
    }

    /** JSON of another shape than the object an endpoint reads is not "not valid JSON". */
    @Test
    void validJsonOfAnotherShapeIsToldSo() {
        TestProject project = Api.newProject();
        for (String body : List.of("[]", "\"x\"", "1", "true")) {
            project.call().body(body).post("/v1/render-jobs").then().statusCode(400)
                    .body("code", equalTo("invalid_request"), "detail", equalTo("request body: must be a JSON object"));
        }
        project.call().body("{\"html\": ").post("/v1/render-jobs").then().statusCode(400)
                .body("detail", equalTo("request body is not valid JSON"));
    }

    /**
     * A lone UTF-16 surrogate is no character: PostgreSQL's driver wrote it as {@code ?}, so the job was created with
     * text other than what the 202 showed. It is refused like the NUL, and so is a surrogate in UTF-8's three-byte
     * form, which Jackson reads though UTF-8 has none; a pair, escaped or not, is the character it stands for.
     */
    @Test
    void aLoneSurrogateIsRefusedAndNothingIsCreated() {
        TestProject project = Api.newProject();
        String detail = "request body: text must not contain a lone UTF-16 surrogate (\\ud800 to \\udfff outside a "
                + "high-low pair)";
        for (String body : List.of("{\"html\": \"<p>x</p>\", \"businessKey\": \"a\\ud800\"}",
                "{\"html\": \"<p>x</p>\", \"businessKey\": \"\\ude00\\ud83d\"}",
                "{\"html\": \"<p>{{x}}</p>\", \"payload\": {\"x\\udbff\": 1}}",
                "{\"html\": \"<p>x\\ud83d</p>\"}")) {
            project.call().body(body).post("/v1/render-jobs").then().statusCode(400)
                    .contentType("application/problem+json").body("code", equalTo("invalid_request"))
                    .body("detail", equalTo(detail));
        }
        byte[] threeByteForm = { '{', '"', 'h', 't', 'm', 'l', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80,
                '"', '}' };
        project.call().body(threeByteForm).post("/v1/render-jobs").then().statusCode(400)
                .body("code", equalTo("invalid_request"))
                .body("detail", equalTo("request body is not valid UTF-8 (it encodes a UTF-16 surrogate, U+D800 to "
                        + "U+DFFF)"));
        project.call().get("/v1/render-jobs").then().statusCode(200).body("data.size()", equalTo(0));

        String emoji = "\ud83d\ude00 \ud83d\ude00"; // escaped in the body, then as UTF-8
        String id = project.call().body("{\"html\": \"<p>x</p>\", \"businessKey\": \"\\ud83d\\ude00 \ud83d\ude00\"}")
                .post("/v1/render-jobs").then().statusCode(202).body("job.businessKey", equalTo(emoji))
                .extract().path("job.id");
        project.call().get("/v1/render-jobs/" + id).then().statusCode(200).body("job.businessKey", equalTo(emoji));
    }

    /**
     * Jackson reads UTF-16 and UTF-32 too, in which a NUL's or a lone surrogate's escape reached PostgreSQL unseen (the
     * surrogate stored as {@code ?}): bodies are taken in UTF-8 only, as RFC 8259 asks, whatever their charset says.
     */
    @Test
    void aBodyInUtf16OrUtf32IsRefusedAndNothingIsCreated() throws Exception {
        TestProject project = Api.newProject();
        String detail = "request body is not valid UTF-8 (it has a zero byte: JSON is read in UTF-8 only, not in "
                + "UTF-16 or UTF-32)";
        for (String json : List.of("{\"html\": \"<p>x</p>\"}", "{\"html\": \"<p>x</p>\", \"businessKey\": \"a\\ud800\"}",
                "{\"html\": \"<p>x</p>\", \"businessKey\": \"\\u0000\"}")) {
            for (String charset : List.of("UTF-16BE", "UTF-16LE", "UTF-16", "UTF-32LE")) {
                project.call().contentType("application/json; charset=" + charset.toLowerCase())
                        .body(json.getBytes(charset)).post("/v1/render-jobs").then().statusCode(400)
                        .contentType("application/problem+json").body("code", equalTo("invalid_request"))
                        .body("detail", equalTo(detail));
            }
        }
        project.call().get("/v1/render-jobs").then().statusCode(200).body("data.size()", equalTo(0));
    }

    /**
     * PostgreSQL stores the NUL character in no text: wherever a request carries one it is refused before anything is
     * done (it was a 500 after the statement failed), and the same text with a literal backslash is an ordinary text.
     */
    @Test
    void theNulCharacterIsRefusedWhereverTheRequestCarriesItAndNothingIsCreated() {
        TestProject project = Api.newProject();
        String nul = "\\u0000"; // the JSON escape, as a client's serializer writes the character
        for (String body : List.of("{\"html\": \"<p>{{x}}</p>\", \"payload\": {\"x\": \"a" + nul + "b\"}}",
                "{\"html\": \"<p>x</p>\", \"payload\": {\"x" + nul + "\": 1}}",
                "{\"html\": \"<p>x</p>\", \"businessKey\": \"nul-" + nul + "\"}",
                "{\"html\": \"<p>x</p>\", \"meta\": {\"k\": \"" + nul + "\"}}",
                "{\"html\": \"<p>x" + nul + "</p>\"}")) {
            project.call().body(body).post("/v1/render-jobs").then().statusCode(400)
                    .contentType("application/problem+json").body("code", equalTo("invalid_request"))
                    .body("detail", equalTo("request body: text must not contain the NUL character (\\u0000)"));
        }
        project.call().get("/v1/render-jobs").then().statusCode(200).body("data.size()", equalTo(0));

        // an escaped backslash before u0000 is the six characters themselves, which any text may hold
        project.call().body("{\"html\": \"<p>x</p>\", \"businessKey\": \"\\\\u0000\"}").post("/v1/render-jobs")
                .then().statusCode(202).body("job.businessKey", equalTo("\\u0000"));

        project.call().urlEncodingEnabled(false).get("/v1/render-jobs/rj_%00").then().statusCode(400)
                .body("code", equalTo("invalid_request"))
                .body("detail", equalTo("path: must not contain the NUL character (\\u0000)"));
        project.call().urlEncodingEnabled(false).get("/v1/render-jobs?businessKey=a%00").then().statusCode(400)
                .body("detail", equalTo("businessKey: must not contain the NUL character (\\u0000)"));
    }
}
