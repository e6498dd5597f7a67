package io.pressroom.webhook.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A project's webhook endpoint: where the events it subscribed to are sent, signed with its secret. */
@Entity
@Table(name = "webhook_endpoints")
public class WebhookEndpoint {

    @Id
    public String id;

    @Column(name = "project_id")
    public String projectId;

    public String url;

    /** Event types, e.g. {@code job.succeeded}; see {@code WebhookEvents}. */
    public String[] events;

    /** {@code whsec_…}, encrypted ({@code SecretCipher}): signing needs it; never logged, shown once. */
    public String secret;

    /** The secret before the last rotation, encrypted; it still signs until {@link #previousSecretUntil}. */
    @Column(name = "previous_secret")
    public String previousSecret;

    @Column(name = "previous_secret_until")
    public Instant previousSecretUntil;

    @Column(name = "created_at")
    public Instant createdAt;
}
