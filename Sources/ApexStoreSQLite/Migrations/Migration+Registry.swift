extension Migration {
    /// Version 5: the workflow registry and a namespace's events in time order.
    ///
    /// `workflow_versions` numbers the definitions registered under a name in a namespace from
    /// 1 (`registerWorkflow`); a definition is a version of a name at most once. The hash has
    /// no foreign key, like `runs.definition_hash`.
    ///
    /// `events_by_time` serves `namespaceEvents`: a namespace's events by time, run and seq,
    /// read from a position on without sorting.
    static let registry = Migration(version: 5, name: "add the workflow registry and index events by time", sql: """
        CREATE TABLE workflow_versions (
            namespace TEXT NOT NULL,
            name TEXT NOT NULL,
            version INTEGER NOT NULL,
            hash TEXT NOT NULL,
            registered_at INTEGER NOT NULL,
            PRIMARY KEY (namespace, name, version),
            UNIQUE (namespace, name, hash)
        );

        CREATE INDEX events_by_time ON events(namespace, at, run_id, seq);
        """)
}
