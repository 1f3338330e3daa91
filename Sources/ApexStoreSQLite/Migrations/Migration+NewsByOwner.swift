extension Migration {
    /// Version 3: the runs with outside news, by lease owner, so that a process's news watcher
    /// reads only its own runs: through `runs_by_attention` it also walked every fresh run no
    /// worker had claimed yet (100,000 of them: 50–100 ms a query, ten queries a second).
    static let newsByOwner = Migration(version: 3, name: "index runs with news by lease owner", sql: """
        CREATE INDEX runs_with_news ON runs(lease_owner, started_at, id)
            WHERE status = 'running' AND needs_attention = 1;
        """)
}
