package io.pressroom.job.repository;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.pressroom.common.Ids;
import io.pressroom.common.Refusal;
import io.quarkus.panache.common.Parameters;

/**
 * The filters of {@code GET /v1/render-jobs} as a JPQL condition. Creation-time bounds become bounds on the id
 * (ids start with their creation time), so every filter walks an index in the list order.
 */
public record JobFilter(String status, String deployId, String businessKey, String queue, Boolean acknowledged,
        Long createdAfter, Long createdBefore, String sourceType, String sourceId, Boolean test, MetaFilter meta,
        String batchId) {

    /** {@code meta.KEY=VALUE}: jobs whose meta has the top-level key with this value (as text, so 42 matches "42"). */
    public record MetaFilter(String key, String value) {

        /** Numbers kept as written, so that a value's JSON reads back as the same text. */
        private static final ObjectMapper JSON = JsonMapper.builder()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
                .build();

        /** {@code {KEY: VALUE}} with the value as a string. */
        String asText() {
            return JSON.createObjectNode().put(key, value).toString();
        }

        /** {@code {KEY: VALUE}} with the value as the JSON it spells (42, true), or as a string when it spells none. */
        String asJson() {
            try {
                return JSON.createObjectNode().set(key, JSON.readTree(value)).toString();
            } catch (JsonProcessingException | IllegalArgumentException e) {
                return asText();
            }
        }
    }

    /** The condition and its parameters for a page strictly older than {@code beforeId} (null for the first). */
    public Query toQuery(String projectId, String beforeId) {
        List<String> conditions = new ArrayList<>();
        Parameters parameters = Parameters.with("projectId", projectId);
        conditions.add("projectId = :projectId");
        conditions.add("estimate = false");
        if (status != null) {
            try {
                parameters.and("status", JobStatus.valueOf(status));
            } catch (IllegalArgumentException e) {
                throw new Refusal.Invalid("status: must be one of queued, rendering, retry_scheduled, succeeded, "
                        + "failed, cancelled");
            }
            conditions.add("status = :status");
        }
        add(conditions, parameters, "deployId", deployId);
        add(conditions, parameters, "businessKey", businessKey);
        add(conditions, parameters, "queue", queue);
        add(conditions, parameters, "acknowledged", acknowledged);
        add(conditions, parameters, "sourceType", sourceType);
        add(conditions, parameters, "sourceId", sourceId);
        add(conditions, parameters, "test", test);
        add(conditions, parameters, "batchId", batchId);
        if (meta != null) {
            // containment is what the GIN index on meta (V23) answers, for the value as a string or as the JSON it
            // spells; the text comparison keeps the filter's meaning (the index only finds the candidates). Cast from
            // text: a parameter taken for jsonb would be sent as a JSON string
            conditions.add("cast(sql('(? @> cast(cast(? as text) as jsonb) or ? @> cast(cast(? as text) as jsonb))',"
                    + " meta, :metaAsText, meta, :metaAsJson) as Boolean) = true"
                    + " and jsonb_extract_path_text(meta, :metaKey) = :metaValue");
            parameters.and("metaKey", meta.key()).and("metaValue", meta.value()).and("metaAsText", meta.asText())
                    .and("metaAsJson", meta.asJson());
        }
        if (createdAfter != null) {
            conditions.add("id >= :lowest");
            parameters.and("lowest", Ids.lowestAt(Ids.RENDER_JOB, createdAfter + 1));
        }
        String upper = createdBefore == null ? null : Ids.lowestAt(Ids.RENDER_JOB, createdBefore);
        if (beforeId != null && (upper == null || beforeId.compareTo(upper) < 0)) {
            upper = beforeId;
        }
        if (upper != null) {
            conditions.add("id < :upper");
            parameters.and("upper", upper);
        }
        return new Query(String.join(" and ", conditions), parameters);
    }

    public record Query(String condition, Parameters parameters) {
    }

    private static void add(List<String> conditions, Parameters parameters, String field, Object value) {
        if (value != null) {
            conditions.add(field + " = :" + field);
            parameters.and(field, value);
        }
    }
}
