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

    @Column(name = "created_at")
    public Instant createdAt;
}
