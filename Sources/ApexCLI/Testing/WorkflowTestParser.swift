import ApexCompiler
import ApexDSL
import ApexEngine
import ApexLLM
import ApexWorkflowFiles
import Foundation

/// Reads a test file into cases, reporting every problem with its position, as `apex validate`
/// reports a workflow's (the same rule ids: `unknown-key`, `missing-key`, `type-mismatch`,
/// `invalid-value`, `duration`, `child-workflow` for a workflow file that is missing or invalid,
/// `unknown-step` for a step the workflow does not have).
struct WorkflowTestParser {
    private var diagnostics: DiagnosticBag
    private let folder: String
    /// The workflows the cases name with their children, read once each (nil: missing or invalid).
    private var plans: [String: [Plan]?] = [:]

    private init(path: String) {
        diagnostics = DiagnosticBag(file: path)
        folder = ((path as NSString).deletingLastPathComponent as NSString).standardizingPath
    }

    /// The file's cases (nil when it cannot be read at all) and its problems.
    static func parse(data: Data, path: String) -> (file: WorkflowTestFile?, source: SourceFile?, diagnostics: DiagnosticBag) {
        let loaded = WorkflowSourceLoader.load(data: data, path: path)
        var parser = WorkflowTestParser(path: path)
        parser.diagnostics.append(contentsOf: loaded.diagnostics)
        guard let source = loaded.source, let root = loaded.root, !loaded.diagnostics.hasErrors else { return (nil, loaded.source, parser.diagnostics) }
        let cases = parser.file(root)
        return (cases.map { WorkflowTestFile(path: path, source: source, cases: $0) }, source, parser.diagnostics)
    }

    private mutating func file(_ root: YAMLNode) -> [WorkflowTestCase]? {
        guard let fields = mapping(root, what: "a test file", known: ["workflow", "cases"], required: ["cases"]) else { return nil }
        let workflow = fields["workflow"].flatMap { string($0) }
        guard let list = fields["cases"], let items = sequence(list, what: "cases") else { return nil }
        if items.isEmpty { diagnostics.error(.invalidValue, "`cases` is empty: a test file needs at least one case", at: list.range) }
        var names: Set<String> = []
        var cases: [WorkflowTestCase] = []
        for item in items {
            guard let parsed = testCase(item, defaultWorkflow: workflow, defaultRange: fields["workflow"]?.range) else { continue }
            if !names.insert(parsed.name).inserted {
                diagnostics.error(.invalidValue, "two cases are named \"\(parsed.name)\"; names must be unique in a file", at: item["name"]?.range ?? item.range)
            }
            cases.append(parsed)
        }
        return diagnostics.hasErrors ? nil : cases
    }

    private mutating func testCase(_ node: YAMLNode, defaultWorkflow: String?, defaultRange: SourceRange?) -> WorkflowTestCase? {
        let known = ["name", "workflow", "input", "secrets", "llm", "http", "signals", "expect"]
        guard let fields = mapping(node, what: "a case", known: known, required: ["name"]),
              let name = fields["name"].flatMap({ string($0) }) else { return nil }
        guard let workflow = fields["workflow"].flatMap({ string($0) }) ?? defaultWorkflow else {
            diagnostics.error(.missingKey, "case \"\(name)\" names no workflow: give `workflow` here or at the top of the file", at: node.range)
            return nil
        }
        let workflowRange = fields["workflow"]?.range ?? defaultRange ?? node.range
        let absolute = workflow.hasPrefix("/") ? workflow : ((folder as NSString).appendingPathComponent(workflow) as NSString).standardizingPath
        let plans = self.plans(absolute, named: workflow, at: workflowRange)
        var llm: JSONValue?
        if let node = fields["llm"] {
            do {
                _ = try MockFixtures(json: node.jsonValue, origin: "llm")
                llm = node.jsonValue
            } catch {
                diagnostics.error(.invalidValue, "\(error)", at: node.range)
            }
        }
        let stubs = fields["http"].map { stubList($0) } ?? []
        let signals = fields["signals"].map { signalList($0) } ?? []
        let expect = fields["expect"].map { expectation($0) } ?? Expectation(attempts: [:], calls: [:])
        let stubNames = Set(stubs.map(\.name))
        for (stub, _) in expect.calls where !stubNames.contains(stub) {
            diagnostics.error(.invalidValue, "expect.calls names \"\(stub)\", which no stub of this case is named\(Suggestion.didYouMean(stub, in: stubNames))",
                              at: fields["expect"]?["calls"]?.range ?? node.range)
        }
        if let plans { check(fields, against: plans) }
        var secrets: [String: String] = [:]
        if let node = fields["secrets"], let pairs = mapping(node, what: "secrets", known: nil, required: []) {
            for (name, value) in pairs { secrets[name] = string(value) }
        }
        return WorkflowTestCase(name: name, range: node.range, workflow: absolute, input: fields["input"]?.jsonValue ?? .object([:]), secrets: secrets,
                                llm: llm, llmRange: fields["llm"]?.range, stubs: stubs, signals: signals, expect: expect,
                                expectRange: fields["expect"]?.range)
    }

    private mutating func stubList(_ node: YAMLNode) -> [HTTPStub] {
        guard let items = sequence(node, what: "http") else { return [] }
        return items.compactMap { item in
            let known = ["name", "method", "url", "status", "headers", "body", "responses"]
            guard let fields = mapping(item, what: "an http stub", known: known, required: ["url"]),
                  let url = fields["url"].flatMap({ string($0) }) else { return nil }
            let method = fields["method"].flatMap { string($0) }?.uppercased()
            var responses: [HTTPStub.Response] = []
            if let list = fields["responses"] {
                if ["status", "headers", "body"].contains(where: { fields[$0] != nil }) {
                    diagnostics.error(.invalidValue, "give either `responses` or `status`/`headers`/`body`, not both", at: list.range)
                }
                for response in sequence(list, what: "responses") ?? [] {
                    guard let fields = mapping(response, what: "a response", known: ["status", "headers", "body"], required: []) else { continue }
                    responses.append(self.response(fields))
                }
            } else {
                responses = [response(fields)]
            }
            return HTTPStub(name: fields["name"].flatMap { string($0) } ?? "\(method ?? "*") \(url)", method: method, url: url,
                            responses: responses.isEmpty ? [response([:])] : responses)
        }
    }

    private mutating func response(_ fields: [String: YAMLNode]) -> HTTPStub.Response {
        var status = 200
        if let node = fields["status"] {
            if case .int(let value)? = node.scalar?.resolved, (100...599).contains(value) { status = Int(value) } else {
                diagnostics.error(.invalidValue, "`status` must be an HTTP status from 100 to 599", at: node.range)
            }
        }
        var headers: [(name: String, value: String)] = []
        if let node = fields["headers"], let pairs = mapping(node, what: "headers", known: nil, required: []) {
            for (name, value) in pairs.sorted(by: { $0.key < $1.key }) {
                headers.append((name, string(value) ?? ""))
            }
        }
        var body: [UInt8] = []
        if let node = fields["body"] {
            if let text = node.scalar?.resolved.stringValue {
                body = Array(text.utf8)
            } else {
                body = Array(node.jsonValue.compactJSON.utf8)
                if !headers.contains(where: { $0.name.lowercased() == "content-type" }) { headers.append(("content-type", "application/json")) }
            }
        }
        return HTTPStub.Response(status: status, headers: headers, body: body)
    }

    private mutating func signalList(_ node: YAMLNode) -> [ScriptedSignal] {
        guard let items = sequence(node, what: "signals") else { return [] }
        return items.compactMap { item in
            guard let fields = mapping(item, what: "a signal", known: ["name", "payload", "at", "after"], required: ["name"]),
                  let name = fields["name"].flatMap({ string($0) }) else { return nil }
            var trigger = ScriptedSignal.Trigger.waiting(step: fields["at"].flatMap { string($0) })
            if let after = fields["after"] {
                if fields["at"] != nil { diagnostics.error(.invalidValue, "give `at` (a step that waits) or `after` (a duration), not both", at: after.range) }
                do throws(ApexDSL.Duration.ParseError) {
                    trigger = .after(try ApexDSL.Duration.parse(string(after) ?? ""))
                } catch {
                    diagnostics.error(.duration, "`after` must be a duration such as 90s, 4h or 3d", at: after.range)
                }
            }
            return ScriptedSignal(name: name, payload: fields["payload"]?.jsonValue ?? .null, trigger: trigger)
        }
    }

    private mutating func expectation(_ node: YAMLNode) -> Expectation {
        let known = ["status", "output", "output_contains", "error", "steps", "attempts", "calls"]
        var expect = Expectation(attempts: [:], calls: [:])
        guard let fields = mapping(node, what: "expect", known: known, required: []) else { return expect }
        if let status = fields["status"] {
            let name = string(status) ?? ""
            expect.status = RunStatus(rawValue: name)
            if expect.status == nil || expect.status == .running {
                expect.status = nil
                diagnostics.error(.invalidValue, "`status` must be completed, failed, cancelled or timed_out", at: status.range)
            }
        }
        expect.output = fields["output"]?.jsonValue
        expect.outputContains = fields["output_contains"]?.jsonValue
        expect.error = fields["error"].flatMap { string($0) }
        if let steps = fields["steps"] { expect.steps = sequence(steps, what: "steps")?.compactMap { string($0) } }
        expect.attempts = counts(fields["attempts"], what: "attempts")
        expect.calls = counts(fields["calls"], what: "calls")
        return expect
    }

    private mutating func counts(_ node: YAMLNode?, what: String) -> [String: Int] {
        guard let node, let pairs = mapping(node, what: what, known: nil, required: []) else { return [:] }
        var counts: [String: Int] = [:]
        for (key, value) in pairs {
            if case .int(let count)? = value.scalar?.resolved, count >= 0 { counts[key] = Int(count) } else {
                diagnostics.error(.typeMismatch, "`\(what).\(key)` must be a count (0 or more)", at: value.range)
            }
        }
        return counts
    }

    // MARK: - The workflow under test

    private mutating func plans(_ path: String, named name: String, at range: SourceRange) -> [Plan]? {
        if let known = plans[path] { return known }
        var plan: [Plan]?
        do {
            let bundle = try WorkflowFiles.bundle(at: path)
            plan = ([bundle.root] + bundle.children).map(\.plan)
        } catch let invalid as WorkflowFiles.Invalid {
            let errors = invalid.result.diagnostics.filter { $0.severity == .error }.count
            diagnostics.error(.childWorkflow, "workflow \"\(name)\" has \(errors) error(s); `apex validate \(name)` lists them", at: range)
        } catch {
            let exists = FileManager.default.fileExists(atPath: path)
            diagnostics.error(.childWorkflow, exists ? "workflow \"\(name)\": \(error)" : "workflow \"\(name)\" does not exist (looked for \(path))", at: range)
        }
        plans[path] = plan
        return plan
    }

    /// Step ids and signal names the case uses must be the workflow's (or its children's).
    private mutating func check(_ fields: [String: YAMLNode], against plans: [Plan]) {
        let states = plans.flatMap(\.states)
        let steps = Set(states.map(\.stepID))
        let calls = Set(states.filter { $0.kind == .llm || $0.kind == .agent }.map(\.stepID))
        for pair in fields["llm"]?.pairs ?? [] {
            guard let step = pair.name, !calls.contains(step) else { continue }
            let what = steps.contains(step) ? "is not an llm or agent step" : "is not a step of the workflow"
            diagnostics.error(.unknownStep, "llm: \"\(step)\" \(what)\(Suggestion.didYouMean(step, in: calls))", at: pair.key.range)
        }
        let signals = Set(plans.flatMap { RunMachine.signalSchemas(in: $0).keys })
        for item in fields["signals"]?.items ?? [] {
            if let name = item["name"], let signal = name.scalar?.value, !signals.contains(signal) {
                diagnostics.error(.invalidValue, "no wait of the workflow takes the signal \"\(signal)\"\(Suggestion.didYouMean(signal, in: signals))", at: name.range)
            }
            if let at = item["at"], let step = at.scalar?.value, !steps.contains(Self.stepID(ofKey: step)) {
                diagnostics.error(.unknownStep, "signals: \"\(step)\" is not a step of the workflow\(Suggestion.didYouMean(step, in: steps))", at: at.range)
            }
        }
        let expect = fields["expect"]
        let named = (expect?["steps"]?.items ?? []) + (expect?["attempts"]?.pairs?.map(\.key) ?? [])
        let own = Set(plans[0].states.map(\.stepID))
        let iterated = Self.iteratedSteps(plans[0])
        for node in named {
            guard let key = node.scalar?.value else { continue }
            let id = Self.stepID(ofKey: key)
            if !own.contains(id) {
                let why = steps.contains(id) ? "is a step of a child workflow: a case sees the steps of its own run only"
                    : "is not a step of the workflow\(Suggestion.didYouMean(key, in: own))"
                diagnostics.error(.unknownStep, "expect: \"\(key)\" \(why)", at: node.range)
            } else if let loop = iterated[id], !key.contains("[") {
                diagnostics.error(.unknownStep, "expect: \"\(key)\" runs in the iterations of `\(loop)`: name one, as \(loop)[0]/\(id)", at: node.range)
            }
        }
    }

    /// The steps inside a `foreach` body (at any depth), each with the outermost `foreach` step's id.
    static func iteratedSteps(_ plan: Plan) -> [String: String] {
        var found: [String: String] = [:]
        for loop in plan.states where loop.kind == .foreach && found[loop.stepID] == nil {
            var lists = Set(loop.childLists)
            var grew = true
            while grew {
                grew = false
                for state in plan.states where lists.contains(state.list) {
                    found[state.stepID] = found[state.stepID] ?? loop.stepID
                    for list in state.childLists where lists.insert(list).inserted { grew = true }
                }
            }
        }
        return found
    }

    /// The step id of a step key: `summarize` for `each[2]/summarize`.
    static func stepID(ofKey key: String) -> String {
        key.split(separator: "/").last.map(String.init) ?? key
    }

    // MARK: - Shapes

    private mutating func mapping(_ node: YAMLNode, what: String, known: [String]?, required: [String]) -> [String: YAMLNode]? {
        guard let pairs = node.pairs else {
            diagnostics.error(.typeMismatch, "\(what) must be a mapping, not \(node.kindDescription)", at: node.range)
            return nil
        }
        var fields: [String: YAMLNode] = [:]
        for pair in pairs {
            guard let name = pair.name else { continue }
            if let known, !known.contains(name) {
                diagnostics.error(.unknownKey, "unknown key \"\(name)\" in \(what)\(Suggestion.didYouMean(name, in: known))", at: pair.key.range)
                continue
            }
            fields[name] = pair.value
        }
        for key in required where fields[key] == nil {
            diagnostics.error(.missingKey, "\(what) needs `\(key)`", at: node.range)
        }
        return fields
    }

    private mutating func sequence(_ node: YAMLNode, what: String) -> [YAMLNode]? {
        guard let items = node.items else {
            diagnostics.error(.typeMismatch, "`\(what)` must be a list, not \(node.kindDescription)", at: node.range)
            return nil
        }
        return items
    }

    private mutating func string(_ node: YAMLNode) -> String? {
        guard let scalar = node.scalar, !scalar.resolved.isNull else {
            diagnostics.error(.typeMismatch, "expected a string, not \(node.kindDescription)", at: node.range)
            return nil
        }
        return scalar.value
    }
}
