package io.pressroom.console.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The console's pages: static shells, the same for everybody and served without a key. The key lives in the
 * browser's session storage, so a page cannot be rendered with a project's data on the server; each shell loads its
 * data from {@link ConsoleFragments} with the key, which the API authenticates like any other request. The
 * front-end is htmx (a webjar) and the console's own small script and style sheet, all served from here.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsolePages {

    /** Ids and slugs as the API makes them; anything else is a 404, never echoed into a page. */
    private static final String ID = "[A-Za-z0-9_-]{1,100}";

    private static final String HTMX = "META-INF/resources/webjars/htmx.org/" + webjarVersion() + "/dist/htmx.min.js";
    private static final Map<String, Asset> ASSETS = Map.of(
            "htmx.min.js", Asset.load(HTMX, "text/javascript; charset=utf-8"),
            "console.js", Asset.load("console/console.js", "text/javascript; charset=utf-8"),
            "console.css", Asset.load("console/console.css", "text/css; charset=utf-8"));

    @CheckedTemplate
    static class Templates {
        /** One shell for every view; {@code view} picks what it loads, {@code id} the job or deploy it shows. */
        static native TemplateInstance shell(String title, String view, String id);
    }

    @GET
    public TemplateInstance jobs() {
        return Templates.shell("Jobs", "jobs", null);
    }

    @GET
    @Path("/jobs")
    public TemplateInstance jobList() {
        return jobs();
    }

    @GET
    @Path("/jobs/{jobId: " + ID + "}")
    public TemplateInstance job(@PathParam("jobId") String jobId) {
        return Templates.shell("Job " + jobId, "job", jobId);
    }

    @GET
    @Path("/deploys")
    public TemplateInstance deploys() {
        return Templates.shell("Templates", "deploys", null);
    }

    @GET
    @Path("/deploys/{deployId: " + ID + "}")
    public TemplateInstance deploy(@PathParam("deployId") String deployId) {
        return Templates.shell("Template " + deployId, "deploy", deployId);
    }

    @GET
    @Path("/usage")
    public TemplateInstance usage() {
        return Templates.shell("Usage", "usage", null);
    }

    @GET
    @Path("/assets/{name}")
    @Produces(MediaType.WILDCARD)
    public Response asset(@PathParam("name") String name) {
        Asset asset = ASSETS.get(name);
        if (asset == null) {
            return Response.status(Response.Status.NOT_FOUND).type(MediaType.TEXT_PLAIN).entity("no such asset").build();
        }
        return Response.ok(asset.bytes(), asset.type()).header("Cache-Control", "no-cache").build();
    }

    private record Asset(byte[] bytes, String type) {
        static Asset load(String resource, String type) {
            try (InputStream in = ConsolePages.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("the console's asset " + resource + " is not on the class path");
                }
                return new Asset(in.readAllBytes(), type);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The version of the htmx webjar on the class path (pom.xml's htmx.version), which is part of its path. */
    private static String webjarVersion() {
        Properties pom = new Properties();
        try (InputStream in = ConsolePages.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars.npm/htmx.org/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the htmx webjar is not on the class path");
            }
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pom.getProperty("version");
    }
}
