package io.pressroom.common;

import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.quarkus.test.junit.QuarkusTest;

/** Bodies that are not JSON in any encoding are bad input (400), whatever Jackson makes of their first bytes. */
@QuarkusTest
class MalformedBodyTest {

    static List<byte[]> bodies() {
        byte[] utf32Like = new byte[65]; // '{' then NULs: Jackson guesses UTF-32 and finds no such character
        utf32Like[0] = '{';
        byte[] tail = "\"L:\"de\"\"".getBytes();
        System.arraycopy(tail, 0, utf32Like, utf32Like.length - tail.length, tail.length);
        return List.of(utf32Like, new byte[] { (byte) 0xFE, (byte) 0xFF, 0, '{' }, new byte[] { 0, 0, 0, '{' },
                new byte[] { '{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}' });
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void bytesThatAreNotJsonAreBadInput(byte[] body) {
        TestProject project = Api.newProject();
        project.call().body(body).post("/v1/render-jobs").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("invalid_request"))
                .body("detail", equalTo("request body is not valid JSON"));
    }
}
