extension Migration {
    /// Version 2: runs that need attention are indexed by start time, so a claim takes the
    /// oldest few without sorting them all (100,000 fresh runs: 40 ms a claim before).
    static let attentionByAge = Migration(version: 2, name: "index runs needing attention by start time", sql: """
        DROP INDEX runs_by_attention;
        CREATE INDEX runs_by_attention ON runs(status, needs_attention, started_at, id);
        """)
}
