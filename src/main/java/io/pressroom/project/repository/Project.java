package io.pressroom.project.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "projects")
public class Project {

    @Id
    public String id;

    public String name;

    /** Most pages the project's non-test jobs may use per calendar month (UTC); null: no quota. */
    @Column(name = "monthly_page_quota")
    public Integer monthlyPageQuota;

    @Column(name = "created_at")
    public Instant createdAt;
}
