extension Migration {
    /// Version 1: definitions, runs and their events.
    ///
    /// Times are whole milliseconds since the Unix epoch (``Timestamp/milliseconds``), so they
    /// sort and compare as integers. JSON values (input, output, error, event bodies) are
    /// stored as compact JSON text; an event's body is its documented JSON shape, so
    /// `apex history --json` prints it as stored.
    ///
    /// `runs.definition_hash` has no foreign key on purpose: a run keeps its pinned hash even
    /// when the definition is lost, and replay reports that instead of the store refusing it.
    static let createTables = Migration(version: 1, name: "create definitions, runs and events", sql: """
        CREATE TABLE definitions (
            hash TEXT PRIMARY KEY NOT NULL,
            workflow TEXT NOT NULL,
            source TEXT NOT NULL,
            path TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );

        CREATE TABLE runs (
            id TEXT PRIMARY KEY NOT NULL,
            namespace TEXT NOT NULL,
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
            lease_until INTEGER
        );

        CREATE TABLE events (
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            type TEXT NOT NULL,
            at INTEGER NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (run_id, seq)
        );

        -- apex runs: a namespace's runs, newest first.
        CREATE INDEX runs_by_namespace ON runs(namespace, started_at DESC);
        -- claims: one index per reason a running run needs a driver.
        CREATE INDEX runs_by_wake ON runs(status, wake_at);
        CREATE INDEX runs_by_attention ON runs(status, needs_attention);
        CREATE INDEX runs_by_lease ON runs(status, lease_until);
        """)
}
