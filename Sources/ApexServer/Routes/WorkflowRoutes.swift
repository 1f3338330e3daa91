import ApexCompiler
import ApexDSL
import ApexEngine
import Hummingbird

/// `POST /v1/validate`, and the namespace's registry: `POST /v1/workflows`,
/// `GET /v1/workflows`, `GET /v1/workflows/{name}` and its `graph`.
struct WorkflowRoutes {
    let state: ServerState

    func add(to router: RouteTable) {
        router.post("/v1/validate") { request, context in
            try context.require(.runsRead)
            let body = try await JSONIO.body(request, limit: state.configuration.maxBodyBytes)
            try JSONIO.rejectUnknown(body, known: ["source", "path"])
            let source = try JSONIO.string(body, "source", required: true)!
            let path = try JSONIO.string(body, "path") ?? "workflow.yaml"
            let result = WorkflowSourceCompiler.validate(source, path: path)
            return JSONIO.response(WorkflowSourceCompiler.diagnosticsJSON(result, path: path))
        }
        router.post("/v1/workflows") { request, context in
            try context.require(.workflowsWrite)
            let body = try await JSONIO.body(request, limit: state.configuration.maxBodyBytes)
            try JSONIO.rejectUnknown(body, known: ["source"])
            let source = try JSONIO.string(body, "source", required: true)!
            let definition = try WorkflowSourceCompiler.definition(source, path: "workflow.yaml")
            let plan = definition.plan
            let engine = try await state.engine(context)
            let path = Self.registryPath(plan.workflowName)
            try await engine.store.saveDefinition(StoredDefinition(hash: plan.definitionHash, workflow: plan.workflowName, source: source, path: path))
            let registered = try await engine.store.registerWorkflow(name: plan.workflowName, hash: plan.definitionHash, at: Timestamp(.now))
            return JSONIO.response(Self.json(registered), status: .created,
                                   headers: [.location: "/v1/workflows/\(registered.name)"])
        }
        router.get("/v1/workflows") { _, context in
            try context.require(.runsRead)
            let engine = try await state.engine(context)
            let workflows = try await engine.store.registeredWorkflows()
            return JSONIO.response(["workflows": .array(workflows.map(Self.json))])
        }
        router.get("/v1/workflows/{name}") { request, context in
            try context.require(.runsRead)
            let (engine, chosen, versions) = try await version(request, context)
            let source = try await engine.store.definition(hash: chosen.hash)?.source
            var object = Self.json(chosen).objectValue ?? [:]
            object["source"] = source.map(JSONValue.string) ?? .null
            object["versions"] = .array(versions.map(Self.json))
            return JSONIO.response(.object(object))
        }
        router.get("/v1/workflows/{name}/graph") { request, context in
            try context.require(.runsRead)
            let (engine, chosen, _) = try await version(request, context)
            guard let stored = try await engine.store.definition(hash: chosen.hash) else {
                throw Problem.notFound("the definition \(chosen.hash) of workflow \(chosen.name) is missing from the store")
            }
            let plan = try engine.plan(for: stored)
            return try GraphResponse.make(for: request, json: { plan.graphJSON() }, svg: { plan.svg() })
        }
    }

    /// The registered workflow of the path: its newest version, or the one `?version=N` names
    /// (404 for either unknown, 400 for a version that is not a number), with every version,
    /// newest first.
    private func version(_ request: Request, _ context: APIContext) async throws -> (Engine, RegisteredWorkflow, [RegisteredWorkflow]) {
        let name = try context.parameters.require("name")
        let engine = try await state.engine(context)
        let versions = try await engine.store.registeredVersions(name: name)
        guard let newest = versions.first else { throw Problem.notFound("no workflow named \(name) is registered") }
        guard request.uri.queryParameters.get("version") != nil else { return (engine, newest, versions) }
        let number = try request.intQuery("version", default: 0, in: 1...Int.max)
        guard let chosen = versions.first(where: { $0.version == number }) else {
            throw Problem.notFound("workflow \(name) has no version \(number)")
        }
        return (engine, chosen, versions)
    }

    /// The path a registered definition is stored under (messages; it names no file).
    static func registryPath(_ name: String) -> String { "registry/\(name).yaml" }

    static func json(_ workflow: RegisteredWorkflow) -> JSONValue {
        ["name": .string(workflow.name), "version": .int(workflow.version), "hash": .string(workflow.hash),
         "registered_at": .string(workflow.registeredAt.description)]
    }
}
