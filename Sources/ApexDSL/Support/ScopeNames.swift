/// The names that say where a run lives and who drives it: its namespace and its task queue.
/// Both follow one rule, `^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`, checked wherever a name comes
/// in (a flag, the environment, a workflow's `task_queue:`).
public enum ScopeName {
    /// What is wrong with `name` as a namespace or task queue name, or nil when it is valid.
    public static func problem(_ name: String) -> String? {
        guard let first = name.unicodeScalars.first else { return "it is empty" }
        guard name.unicodeScalars.count <= 64 else { return "it is longer than 64 characters" }
        guard isAlphanumeric(first) else { return "it must start with a letter or a digit" }
        if let bad = name.unicodeScalars.first(where: { !isAlphanumeric($0) && !".-_".unicodeScalars.contains($0) }) {
            return "it contains \"\(bad)\" (allowed: letters, digits, '.', '_', '-')"
        }
        return nil
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}

public enum Namespace {
    /// The namespace of runs started without one.
    public static let defaultName = "default"
}

public enum TaskQueue {
    /// The queue of runs whose workflow names none, and the one a worker serves when given none.
    public static let defaultName = "apex-orchestrator"
}
