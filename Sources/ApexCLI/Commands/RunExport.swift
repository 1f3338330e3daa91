import ApexDSL
import ApexEngine
import OrderedCollections

/// The document `apex export` writes and `apex import` reads (docs/cli.md, "`apex export`"):
///
/// ```json
/// {"format": "apex-export", "version": 1, "exported_at": "…",
///  "runs": [{…the row as `apex runs --json` prints it…, "events": [{…as `apex history --json`…}]}],
///  "definitions": [{"hash", "workflow", "path", "source"}]}
/// ```
///
/// Reading checks everything a store would otherwise take on trust, so that a document that
/// reads is one a store can hold: events numbered from 1 and starting with the run's
/// `RunStarted`, a status that agrees with the last event, and every definition a run pins.
struct RunExport {
    static let format = "apex-export"
    static let version = 1

    /// One run: its row and its whole history.
    struct Run {
        var record: RunRecord
        var events: [Event]

        /// The definitions the run needs: its own and its pinned children's (`RunStarted`).
        var pinnedHashes: [String] {
            var hashes = [record.definitionHash]
            if case .runStarted(_, let hash, _, _, let pins)? = events.first?.kind {
                hashes.append(hash)
                hashes += pins.children.values.sorted()
            }
            var seen = Set<String>()
            return hashes.filter { seen.insert($0).inserted }
        }
    }

    var exportedAt: Timestamp
    /// The exported run first, then its descendants, each after its parent.
    var runs: [Run]
    var definitions: [StoredDefinition]

    init(exportedAt: Timestamp, runs: [Run], definitions: [StoredDefinition]) {
        self.exportedAt = exportedAt
        self.runs = runs
        self.definitions = definitions
    }

    /// A document that cannot be imported, with where.
    struct Problem: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: Writing

    var json: JSONValue {
        let object: OrderedDictionary<String, JSONValue> = [
            "format": .string(Self.format), "version": .int(Self.version), "exported_at": .string(exportedAt.description),
            "runs": .array(runs.map { run in
                var row = RunJSON.record(run.record).objectValue ?? [:]
                row["events"] = .array(run.events.map(\.json))
                return .object(row)
            }),
            "definitions": .array(definitions.map { definition in
                .object(["hash": .string(definition.hash), "workflow": .string(definition.workflow),
                         "path": .string(definition.path), "source": .string(definition.source)])
            }),
        ]
        return .object(object)
    }

    // MARK: Reading

    /// Reads a document. Its runs are in the default namespace: the importing store puts them in its own.
    init(json: JSONValue) throws(Problem) {
        guard case .object(let document) = json else { throw Problem("the document is not a JSON object") }
        guard document["format"]?.stringValue == Self.format else {
            throw Problem("not an apex export: \"format\" is \(document["format"]?.compactJSON ?? "missing"), not \"\(Self.format)\"")
        }
        guard case .int(let version)? = document["version"], version == Self.version else {
            throw Problem("export format version \(document["version"]?.compactJSON ?? "missing"); this apex reads version \(Self.version)")
        }
        exportedAt = document["exported_at"]?.stringValue.flatMap(Timestamp.init(rfc3339:)) ?? Timestamp(milliseconds: 0)
        guard let runs = document["runs"]?.arrayValue, !runs.isEmpty else { throw Problem("\"runs\" must be a non-empty array") }
        guard let definitions = document["definitions"]?.arrayValue else { throw Problem("\"definitions\" must be an array") }

        var hashes = Set<String>()
        self.definitions = []
        for (index, entry) in definitions.enumerated() {
            let fields = ["hash", "workflow", "path", "source"].map { entry[$0]?.stringValue }
            guard let hash = fields[0], let workflow = fields[1], let path = fields[2], let source = fields[3] else {
                throw Problem("definitions[\(index)] needs \"hash\", \"workflow\", \"path\" and \"source\" strings")
            }
            guard hashes.insert(hash).inserted else { throw Problem("definition \(hash) appears twice") }
            self.definitions.append(StoredDefinition(hash: hash, workflow: workflow, source: source, path: path))
        }

        var ids = Set<String>()
        self.runs = []
        for (index, entry) in runs.enumerated() {
            let run = try Self.run(entry, index: index)
            guard ids.insert(run.record.id).inserted else { throw Problem("run \(run.record.id) appears twice") }
            for hash in run.pinnedHashes where !hashes.contains(hash) {
                throw Problem("run \(run.record.id) pins definition \(hash), which the document does not hold")
            }
            self.runs.append(run)
        }
    }

    private static func run(_ entry: JSONValue, index: Int) throws(Problem) -> Run {
        guard case .object(let row) = entry else { throw Problem("runs[\(index)] is not an object") }
        guard let id = row["id"]?.stringValue, RunIDGenerator.isValid(id) else {
            throw Problem("runs[\(index)] needs an \"id\" of 1–128 characters A-Z a-z 0-9 . _ -")
        }
        func problem(_ text: String) -> Problem { Problem("run \(id): \(text)") }
        func string(_ key: String) throws(Problem) -> String {
            guard let value = row[key]?.stringValue else { throw problem("\"\(key)\" must be a string") }
            return value
        }
        func optionalString(_ key: String) throws(Problem) -> String? {
            guard let value = row[key], !value.isNull else { return nil }
            guard let text = value.stringValue else { throw problem("\"\(key)\" must be a string or null") }
            return text
        }
        func time(_ text: String?, _ key: String) throws(Problem) -> Timestamp? {
            guard let text else { return nil }
            guard let time = Timestamp(rfc3339: text) else { throw problem("\"\(key)\" is not an RFC 3339 time") }
            return time
        }

        let statusText = try string("status")
        guard let status = RunStatus(rawValue: statusText) else {
            throw problem("unknown status \"\(statusText)\"; one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var error: RunError?
        if let value = row["error"], !value.isNull {
            do throws(HistoryFormatError) { error = try RunError(json: value) } catch { throw problem("\"error\": \(error.message)") }
        }
        guard let startedAt = try time(try string("started_at"), "started_at") else { throw problem("\"started_at\" is missing") }
        let taskQueue = try optionalString("task_queue") ?? TaskQueue.defaultName
        if let why = ScopeName.problem(taskQueue) { throw problem("\"task_queue\" \"\(taskQueue)\" is not a queue name: \(why)") }
        var record = RunRecord(
            id: id, taskQueue: taskQueue, workflow: try string("workflow"), definitionHash: try string("definition_hash"),
            status: status, input: row["input"] ?? .null,
            // A completed run's output is set even when it is null; other runs have none.
            output: status == .completed ? row["output"] ?? .null : row["output"].flatMap { $0.isNull ? nil : $0 },
            error: error, currentStep: try optionalString("current_step"), startedAt: startedAt,
            finishedAt: try time(try optionalString("finished_at"), "finished_at"), parentRunID: try optionalString("parent_run_id"))

        guard let eventsJSON = row["events"]?.arrayValue, !eventsJSON.isEmpty else { throw problem("\"events\" must be a non-empty array") }
        var events: [Event] = []
        events.reserveCapacity(eventsJSON.count)
        for (offset, eventJSON) in eventsJSON.enumerated() {
            let event: Event
            do throws(HistoryFormatError) { event = try Event(json: eventJSON) } catch { throw problem("events[\(offset)]: \(error.message)") }
            guard event.seq == offset + 1 else {
                throw problem("events[\(offset)] has seq \(event.seq); events are numbered from 1 without gaps, so it must be \(offset + 1)")
            }
            events.append(event)
        }
        guard case .runStarted(let workflow, let hash, _, _, _) = events[0].kind else {
            throw problem("the first event is \(events[0].kind.type), not RunStarted")
        }
        guard hash == record.definitionHash, workflow == record.workflow else {
            throw problem("the row's workflow and definition (\(record.workflow), \(record.definitionHash)) are not its RunStarted's (\(workflow), \(hash))")
        }
        let last = events[events.count - 1].kind
        guard last.isTerminal == status.isFinished else {
            throw problem("its status is \(status.rawValue) but its last event is \(last.type)")
        }
        record.lastSeq = events.count
        return Run(record: record, events: events)
    }

    /// The runs, each after every run of the document below it: children before their parents.
    /// A parent imported first could be claimed by a worker before its children exist, and its
    /// driver would start a child over instead of attaching to the imported one.
    var runsChildrenFirst: [Run] {
        let byID = Dictionary(uniqueKeysWithValues: runs.map { ($0.record.id, $0) })
        func depth(_ run: Run) -> Int {
            var depth = 0
            var seen: Set<String> = [run.record.id]
            var parent = run.record.parentRunID
            while let id = parent, let next = byID[id], seen.insert(id).inserted {
                depth += 1
                parent = next.record.parentRunID
            }
            return depth
        }
        return runs.enumerated().sorted { a, b in
            let (depthA, depthB) = (depth(a.element), depth(b.element))
            return depthA != depthB ? depthA > depthB : a.offset < b.offset
        }.map(\.element)
    }
}
