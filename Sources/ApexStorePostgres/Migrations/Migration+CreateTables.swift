extension Migration {
    /// Version 1: definitions, runs and their events, as the SQLite store has them, with runs
    /// keyed by namespace and given a task queue.
    ///
    /// Times are whole milliseconds since the Unix epoch (BIGINT). JSON values (input, output,
    /// error, event bodies) are compact JSON text, as SQLite stores them: an event's body is its
    /// documented JSON shape. `runs.definition_hash` has no foreign key on purpose (a run keeps
    /// its pinned hash even when the definition is lost).
    ///
    /// The scheduling indexes are partial, over running runs only, so that a node with 100,000
    /// runs waiting for a signal or a far timer finds the few that need a driver without
    /// reading the others: each reason a run is claimable has its own.
    static let createTables = Migration(version: 1, name: "create definitions, runs and events", statements: [
        """
        CREATE TABLE definitions (
            hash TEXT PRIMARY KEY,
            workflow TEXT NOT NULL,
            source TEXT NOT NULL,
            path TEXT NOT NULL,
            created_at BIGINT NOT NULL
        )
        """,
        """
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
            started_at BIGINT NOT NULL,
            finished_at BIGINT,
            parent_run_id TEXT,
            last_seq BIGINT NOT NULL,
            wake_at BIGINT,
            needs_attention BOOLEAN NOT NULL DEFAULT false,
            lease_owner TEXT,
            lease_until BIGINT,
            PRIMARY KEY (namespace, id)
        )
        """,
        """
        CREATE TABLE events (
            namespace TEXT NOT NULL,
            run_id TEXT NOT NULL,
            seq BIGINT NOT NULL,
            type TEXT NOT NULL,
            at BIGINT NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (namespace, run_id, seq),
            FOREIGN KEY (namespace, run_id) REFERENCES runs (namespace, id) ON DELETE CASCADE
        )
        """,
        // apex runs: a namespace's runs, newest first; a parent's children.
        "CREATE INDEX runs_by_start ON runs (namespace, started_at DESC, id DESC)",
        "CREATE INDEX runs_by_parent ON runs (namespace, parent_run_id, started_at DESC, id DESC) WHERE parent_run_id IS NOT NULL",
        // claimRuns and nextClaimableAt: timers by due time, new runs and outside events by age,
        // leases by expiry.
        "CREATE INDEX runs_waking ON runs (namespace, wake_at) WHERE status = 'running' AND wake_at IS NOT NULL",
        "CREATE INDEX runs_needing_attention ON runs (namespace, started_at, id) WHERE status = 'running' AND needs_attention",
        "CREATE INDEX runs_leased ON runs (namespace, lease_until) WHERE status = 'running' AND lease_owner IS NOT NULL",
        // runsWithNews: one owner's runs with outside events, by age.
        "CREATE INDEX runs_with_news ON runs (namespace, lease_owner, started_at, id) WHERE status = 'running' AND needs_attention",
    ])
}
