package io.pressroom.job.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

@ApplicationScoped
public class JobEventRepository implements PanacheRepositoryBase<JobEvent, Long> {
}
