extension Migration {
    /// Version 2: the workflow registry and a namespace's events in time order, as SQLite's
    /// version 5 has them.
    ///
    /// `workflow_versions` numbers the definitions registered under a name in a namespace from
    /// 1 (`registerWorkflow`); a definition is a version of a name at most once. The hash has
    /// no foreign key, like `runs.definition_hash`.
    ///
    /// `events_by_time` serves `namespaceEvents`: a namespace's events by time, run and seq,
    /// read from a position on without sorting. Building it reads every event once, and holds
    /// off writes to `events` meanwhile (the migration's transaction cannot build it
    /// concurrently).
    static let registry = Migration(version: 2, name: "add the workflow registry and index events by time", statements: [
        """
        CREATE TABLE workflow_versions (
            namespace TEXT NOT NULL,
            name TEXT NOT NULL,
            version INT NOT NULL,
            hash TEXT NOT NULL,
            registered_at BIGINT NOT NULL,
            PRIMARY KEY (namespace, name, version),
            UNIQUE (namespace, name, hash)
        )
        """,
        "CREATE INDEX events_by_time ON events (namespace, at, run_id, seq)",
    ])
}
