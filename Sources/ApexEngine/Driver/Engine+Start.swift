import ApexCompiler
import ApexDSL

extension Engine {
    public struct Started: Sendable {
        public var runID: String
        /// False when `--id` named an existing run of the same workflow (the start attached to it).
        public var created: Bool
    }

    /// Durably starts a run of `definition`: stores it and its `children` (the definitions its
    /// `workflow: {file: …}` steps use, transitively, each with the path its parent's `file`
    /// resolves to), checks the input (defaults applied) and commits `RunStarted`, which pins
    /// the children and `llmRouting`, with the first decisions in one transaction.
    /// Idempotent with `runID`. The run goes to `taskQueue`, else to the queue its workflow
    /// names, else to the default queue.
    public func start(_ definition: WorkflowDefinition, children: [WorkflowDefinition] = [], input: JSONValue, runID: String? = nil,
                      llmRouting: JSONValue? = nil, taskQueue: String? = nil) async throws -> Started {
        var pins = RunPins(path: definition.path, llmRouting: llmRouting)
        for child in children {
            try await save(child)
            pins.children[child.path] = child.plan.definitionHash
        }
        let queue = taskQueue ?? definition.plan.taskQueue ?? TaskQueue.defaultName
        return try await start(definition, input: input, runID: runID, parentRunID: nil, pins: pins, taskQueue: queue)
    }

    /// Starts a run of a plan that calls no child by file (tests, benchmarks).
    public func start(plan: Plan, source: String, path: String, input: JSONValue, runID: String? = nil) async throws -> Started {
        try await start(WorkflowDefinition(plan: plan, source: source, path: path), input: input, runID: runID)
    }

    /// Starts a run with the pins and the queue it is given (a child run: its parent's).
    func start(_ definition: WorkflowDefinition, input: JSONValue, runID: String?, parentRunID: String?, pins: RunPins,
               taskQueue: String) async throws -> Started {
        let plan = definition.plan
        if let runID, !RunIDGenerator.isValid(runID) { throw EngineError.invalidRunID(runID) }
        let input = try Self.checkedInput(input, plan: plan)
        let now = clock.now()
        let id = runID ?? RunIDGenerator.make(at: now)
        if runID != nil, let existing = try await store.run(id: id) {
            guard existing.workflow == plan.workflowName else { throw EngineError.idTaken(runID: id, workflow: existing.workflow) }
            return Started(runID: id, created: false)
        }
        try await save(definition)
        var machine = RunMachine(plan: plan, runID: id)
        let started = EventKind.runStarted(workflow: plan.workflowName, definitionHash: plan.definitionHash, input: input, startedAt: now, pins: pins)
        let events = try machine.advance(applying: [started], at: now)
        let run = RunRecord(id: id, namespace: store.namespace, taskQueue: taskQueue, workflow: plan.workflowName, definitionHash: plan.definitionHash,
                            input: input, startedAt: now, parentRunID: parentRunID)
        let began = ContinuousClock.now
        switch try await store.createRun(run, events: events, update: machine.update(finishedAt: now)) {
        case .created:
            warnIfLong(id, from: 0, to: machine.lastSeq)
            commits.publish(RunCommit(kind: .created, runID: id, events: events, storeSeconds: began.secondsSince))
            return Started(runID: id, created: true)
        case .existing(let existing):
            guard existing.workflow == plan.workflowName else { throw EngineError.idTaken(runID: id, workflow: existing.workflow) }
            return Started(runID: id, created: false)
        }
    }

    /// Saves a definition the first time this engine meets it. A hash names its content and a
    /// store never deletes one, so a plan in the engine's cache (saved here, or compiled from
    /// the store's copy) is one the store has: starts of a known workflow write it no more.
    private func save(_ definition: WorkflowDefinition) async throws {
        let plan = definition.plan
        guard plans[plan.definitionHash] == nil else { return }
        try await store.saveDefinition(StoredDefinition(hash: plan.definitionHash, workflow: plan.workflowName, source: definition.source, path: definition.path))
        plans[plan.definitionHash] = plan
    }

    /// The input with the schema's defaults applied, refused when it does not match.
    static func checkedInput(_ input: JSONValue, plan: Plan) throws -> JSONValue {
        let size = input.compactJSON.utf8.count
        guard size <= Limits.maxPayloadBytes else { throw EngineError.payloadTooLarge(what: "the input", bytes: size) }
        guard let schema = plan.input else { return input }
        let defaulted = schema.applyingDefaults(to: input)
        let violations = schema.validate(defaulted)
        guard violations.isEmpty else { throw EngineError.inputInvalid(violations.map(\.description)) }
        return defaulted
    }

    /// Sends a signal: checked against the run's `wait` steps for that name, then appended to
    /// the history, where the run's driver finds it: at once when this engine drives the run,
    /// at its engine's next poll when another process does, when it loads the run otherwise.
    public func signal(runID: String, name: String, payload: JSONValue) async throws -> Event {
        guard let record = try await store.run(id: runID) else { throw StoreError.unknownRun(runID) }
        guard !record.status.isFinished else { throw StoreError.runFinished(runID) }
        let size = payload.compactJSON.utf8.count
        guard size <= Limits.maxPayloadBytes else { throw EngineError.payloadTooLarge(what: "the payload", bytes: size) }
        let plan = try await plan(forRun: record)
        let waits = RunMachine.signalSchemas(in: plan)
        guard let schemas = waits[name] else { throw EngineError.unknownSignal(name: name, known: waits.keys.sorted()) }
        // Accepted when some wait for this name has no schema or a schema the payload matches.
        let problems = schemas.map { schema in schema.map { $0.validate(payload).map(\.description) } ?? [] }
        if !problems.contains(where: \.isEmpty) {
            throw EngineError.signalPayloadInvalid(name: name, problems: problems[0])
        }
        let began = ContinuousClock.now
        let event = try await store.appendExternal(runID: runID, kind: .signalReceived(name: name, payload: payload, signalID: RunIDGenerator.make(at: clock.now())), at: clock.now())
        news.notify(runID: runID, seq: event.seq)
        commits.publish(RunCommit(kind: .outsideEvent, runID: runID, events: [event], storeSeconds: began.secondsSince))
        return event
    }

    /// Requests cancellation: the run's driver cancels running calls and ends it `cancelled`
    /// (told as a signal is, see ``signal(runID:name:payload:)``).
    public func cancel(runID: String, reason: String?) async throws {
        guard let record = try await store.run(id: runID) else { throw StoreError.unknownRun(runID) }
        guard !record.status.isFinished else { throw StoreError.runFinished(runID) }
        let began = ContinuousClock.now
        let event = try await store.appendExternal(runID: runID, kind: .cancelRequested(reason: reason), at: clock.now())
        news.notify(runID: runID, seq: event.seq)
        commits.publish(RunCommit(kind: .outsideEvent, runID: runID, events: [event], storeSeconds: began.secondsSince))
    }
}
