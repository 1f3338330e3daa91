extension WorkflowParser {
    mutating func action(_ pair: YAMLPair, stepID: String) -> Action {
        let node = pair.value
        switch pair.name {
        case "llm": return .llm(llmOptions(node, isStep: true))
        case "http": return http(node).map(Action.http) ?? .invalid
        case "sleep": return sleep(node).map(Action.sleep) ?? .invalid
        case "wait": return wait(node).map(Action.wait) ?? .invalid
        case "set":
            let assignments = assignments(node, what: "`set`")
            if node.pairs?.isEmpty == true { diagnostics.error(.invalidValue, "`set` must assign at least one variable", at: node.range) }
            return .set(assignments)
        case "switch": return switchAction(node).map(Action.switch) ?? .invalid
        case "parallel": return parallel(node).map(Action.parallel) ?? .invalid
        case "foreach": return foreach(node).map(Action.foreach) ?? .invalid
        case "workflow": return childWorkflow(node).map(Action.workflow) ?? .invalid
        case "fail": return fail(node).map(Action.fail) ?? .invalid
        case "agent": return agent(node).map(Action.agent) ?? .invalid
        default: return .invalid
        }
    }

    private static let httpKeys = ["method", "url", "headers", "query", "json", "body", "expect"]
    static let httpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

    mutating func http(_ node: YAMLNode) -> HTTPCall? {
        guard let keys = mapping(node, what: "`http`", allowed: Self.httpKeys) else { return nil }
        var call = HTTPCall()
        if let method = keys["method"].flatMap({ string($0.value, key: "method") }) {
            if Self.httpMethods.contains(method.value) {
                call.method = method
            } else {
                diagnostics.error(.invalidValue, "unknown HTTP method \"\(method.value)\"; use one of \(Self.httpMethods.joined(separator: ", "))", at: method.range)
            }
        }
        if let url = keys["url"] {
            call.url = scalarTemplate(url.value, key: "url")
        } else {
            diagnostics.error(.missingKey, "`http` needs a \"url\"", at: pairAnchor(node))
        }
        call.headers = keys["headers"].map { template($0.value) }
        call.query = keys["query"].map { template($0.value) }
        call.json = keys["json"].map { template($0.value) }
        call.body = keys["body"].flatMap { scalarTemplate($0.value, key: "body") }
        if let json = keys["json"], keys["body"] != nil {
            diagnostics.error(.invalidValue, "`http` takes \"json\" or \"body\", not both", at: json.key.range)
        }
        if let expect = keys["expect"] {
            call.expect = expect.value.items.map { $0.compactMap { statusCode($0) } } ?? {
                diagnostics.error(.typeMismatch, "\"expect\" must be a list of status codes such as [200, 201], not \(expect.value.kindDescription)", at: expect.value.range)
                return nil
            }()
        }
        return call
    }

    private mutating func statusCode(_ node: YAMLNode) -> Located<Int>? {
        guard let code = integer(node, key: "expect", minimum: 100) else { return nil }
        guard code.value <= 599 else {
            diagnostics.error(.invalidValue, "HTTP status codes are between 100 and 599, not \(code.value)", at: node.range)
            return nil
        }
        return code
    }

    private mutating func sleep(_ node: YAMLNode) -> SleepAction? {
        if node.pairs != nil {
            guard let keys = mapping(node, what: "`sleep`", allowed: ["until"]) else { return nil }
            guard let until = keys["until"] else {
                diagnostics.error(.missingKey, "`sleep` takes a duration or `{until: timestamp}`", at: pairAnchor(node))
                return nil
            }
            return scalarTemplate(until.value, key: "until").map(SleepAction.until)
        }
        guard let scalar = node.scalar else {
            diagnostics.error(.typeMismatch, "`sleep` takes a duration such as \"90s\", an expression giving seconds, or `{until: timestamp}`, not \(node.kindDescription)", at: node.range)
            return nil
        }
        if scalar.value.contains("${{") {
            return .seconds(template(node))
        }
        return duration(node, key: "sleep").map(SleepAction.duration)
    }

    private mutating func wait(_ node: YAMLNode) -> WaitAction? {
        guard let keys = mapping(node, what: "`wait`", allowed: ["signal", "timeout", "schema"]) else { return nil }
        var wait = WaitAction()
        wait.signal = signalName(keys["signal"], in: node, what: "`wait`")
        wait.timeout = keys["timeout"].flatMap { duration($0.value, key: "timeout") }
        wait.schema = keys["schema"].flatMap { JSONSchema.parse($0.value, diagnostics: &diagnostics) }
        return wait
    }

    private mutating func fail(_ node: YAMLNode) -> FailAction? {
        guard let keys = mapping(node, what: "`fail`", allowed: ["error", "message"]) else { return nil }
        var fail = FailAction()
        if let error = keys["error"] {
            fail.error = string(error.value, key: "error")
            if let type = fail.error, !ErrorPattern.isValid(type.value) || type.value.contains("*") {
                diagnostics.error(.invalidValue, "error type \"\(type.value)\" must be a name such as `NeedsHuman` or `billing.refused`", at: type.range)
            }
        } else {
            diagnostics.error(.missingKey, "`fail` needs an \"error\" type, e.g. `error: NeedsHuman`", at: pairAnchor(node))
        }
        fail.message = keys["message"].flatMap { scalarTemplate($0.value, key: "message") }
        return fail
    }

    mutating func childWorkflow(_ node: YAMLNode) -> ChildWorkflowCall? {
        guard let keys = mapping(node, what: "`workflow`", allowed: ["file", "name", "input"]) else { return nil }
        var call = ChildWorkflowCall()
        call.file = keys["file"].flatMap { string($0.value, key: "file") }
        call.name = keys["name"].flatMap { string($0.value, key: "name") }
        switch (keys["file"], keys["name"]) {
        case (nil, nil):
            diagnostics.error(.missingKey, "`workflow` needs \"file\" (a path relative to this file) or \"name\" (a registered workflow)", at: pairAnchor(node))
        case (.some, .some(let name)):
            diagnostics.error(.invalidValue, "`workflow` takes \"file\" or \"name\", not both", at: name.key.range)
        default:
            break
        }
        call.input = keys["input"].map { template($0.value) }
        return call
    }

    /// Where to point for a key missing from a (possibly empty) mapping.
    func pairAnchor(_ node: YAMLNode) -> SourceRange {
        .at(node.range.start, length: 1)
    }
}
