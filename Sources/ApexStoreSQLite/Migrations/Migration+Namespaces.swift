extension Migration {
    /// Version 4: a run id is unique within its namespace, not across the database, and every
    /// run has a task queue (runs from before are on the default queue). SQLite cannot change
    /// a primary key, so both tables are rebuilt: the old ones are renamed (which carries the
    /// events' foreign key along), copied into the new ones and dropped.
    ///
    /// The scheduling indexes are partial, on running runs only, and start with the namespace
    /// and the queue, the equalities of every worker's claim.
    static let namespaces = Migration(version: 4, name: "key runs by namespace and give them a task queue", sql: """
        DROP INDEX runs_by_namespace;
        DROP INDEX runs_by_wake;
        DROP INDEX runs_by_attention;
        DROP INDEX runs_by_lease;
        DROP INDEX runs_with_news;
        ALTER TABLE runs RENAME TO runs_v3;
        ALTER TABLE events RENAME TO events_v3;

        CREATE TABLE runs (
            namespace TEXT NOT NULL,
            id TEXT NOT NULL,
            task_queue TEXT NOT NULL,
            workflow TEXT NOT NULL,
            definition_hash TEXT NOT NULL,
            status TEXT NOT NULL,
            input TEXT NOT NULL,
            output TEXT,
            error TEXT,
            current_step TEXT,
            started_at INTEGER NOT NULL,
            finished_at INTEGER,
            parent_run_id TEXT,
            last_seq INTEGER NOT NULL,
            wake_at INTEGER,
            needs_attention INTEGER NOT NULL DEFAULT 0,
            lease_owner TEXT,
            lease_until INTEGER,
            PRIMARY KEY (namespace, id)
        );
        INSERT INTO runs (namespace, id, task_queue, workflow, definition_hash, status, input, output, error, current_step,
                          started_at, finished_at, parent_run_id, last_seq, wake_at, needs_attention, lease_owner, lease_until)
            SELECT namespace, id, 'apex-orchestrator', workflow, definition_hash, status, input, output, error, current_step,
                   started_at, finished_at, parent_run_id, last_seq, wake_at, needs_attention, lease_owner, lease_until
            FROM runs_v3;

        CREATE TABLE events (
            namespace TEXT NOT NULL,
            run_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            type TEXT NOT NULL,
            at INTEGER NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (namespace, run_id, seq),
            FOREIGN KEY (namespace, run_id) REFERENCES runs(namespace, id) ON DELETE CASCADE
        );
        INSERT INTO events (namespace, run_id, seq, type, at, body)
            SELECT runs_v3.namespace, events_v3.run_id, events_v3.seq, events_v3.type, events_v3.at, events_v3.body
            FROM events_v3 JOIN runs_v3 ON runs_v3.id = events_v3.run_id;
        DROP TABLE events_v3;
        DROP TABLE runs_v3;

        -- apex runs: a namespace's runs, newest first; apex export: a run's children.
        CREATE INDEX runs_by_namespace ON runs(namespace, started_at DESC, id DESC);
        CREATE INDEX runs_by_parent ON runs(namespace, parent_run_id) WHERE parent_run_id IS NOT NULL;
        -- claimRuns and nextClaimableAt: one index per reason a running run needs a driver.
        CREATE INDEX runs_by_wake ON runs(namespace, task_queue, wake_at) WHERE status = 'running' AND wake_at IS NOT NULL;
        CREATE INDEX runs_by_attention ON runs(namespace, task_queue, started_at, id) WHERE status = 'running' AND needs_attention = 1;
        CREATE INDEX runs_by_lease ON runs(namespace, task_queue, lease_until) WHERE status = 'running' AND lease_owner IS NOT NULL;
        -- runsWithNews: a process's runs with outside events, in start order.
        CREATE INDEX runs_with_news ON runs(namespace, lease_owner, started_at, id) WHERE status = 'running' AND needs_attention = 1;
        """)
}
