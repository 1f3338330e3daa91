/// Turns the paths given to `apex validate` into the list of files to check.
///
/// - A file is checked whatever its name, in the order given.
/// - A folder means every `*.yaml` and `*.yml` file below it, sorted by path (byte order, so
///   the same on every machine). Hidden files and folders (a name starting with `.`, which
///   covers `.build` and `.git`) are skipped, and symbolic links to folders are not followed
///   (no cycles); symbolic links to files are.
/// - A file reached twice is checked once, where it first appears.
///
/// Paths below a folder are printed as the folder was written plus the rest (`workflows/a.yaml`
/// for `workflows` or `workflows/`, `a.yaml` for `.`).
struct WorkflowFileCollector {
    /// The files to check and the paths that could not be used.
    private(set) var files: [String] = []
    private(set) var problems: [InputProblem] = []
    private var seen: Set<String> = []
    /// Which names a folder's files must have, and how a problem names them.
    private let accepts: (String) -> Bool
    private let kind: String

    /// Collects the files named by `paths`, in order; in folders, the files whose name
    /// `accepts` (workflow files by default: `apex test` looks for test files).
    init(paths: [String], accepts: @escaping (String) -> Bool = Self.isWorkflowName, kind: String = "workflow files (*.yaml, *.yml)") {
        self.accepts = accepts
        self.kind = kind
        for path in paths {
            switch FileSystem.kind(of: path) {
            case .failure(let problem): problems.append(problem)
            case .success(.folder): addFolder(path)
            case .success: add(path)
            }
        }
    }

    /// Whether `name` is a workflow file's name: `*.yaml` or `*.yml`, in any case.
    static func isWorkflowName(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return lowered.hasSuffix(".yaml") || lowered.hasSuffix(".yml")
    }

    private mutating func add(_ path: String) {
        if seen.insert(path).inserted { files.append(path) }
    }

    private mutating func addFolder(_ root: String) {
        var found: [String] = []
        let problemsBefore = problems.count
        var folders = [Self.trimmed(root)]
        while let folder = folders.popLast() {
            let names: [String]
            switch FileSystem.names(in: folder.isEmpty ? "." : folder) {
            case .failure(let problem):
                problems.append(InputProblem(path: folder.isEmpty ? "." : folder, message: problem.message))
                continue
            case .success(let listed): names = listed
            }
            for name in names where !name.hasPrefix(".") {
                let child = folder.isEmpty ? name : folder == "/" ? "/" + name : folder + "/" + name
                switch FileSystem.kind(of: child, followingLinks: false) {
                case .success(.folder): folders.append(child)
                case .success(.file) where accepts(name): found.append(child)
                case .success(.symbolicLink) where accepts(name):
                    if case .success(.file) = FileSystem.kind(of: child) { found.append(child) }
                case .failure(let problem): problems.append(problem)
                default: break
                }
            }
        }
        if found.isEmpty && problems.count == problemsBefore {
            problems.append(InputProblem(path: root, message: "no \(kind) in this folder"))
        }
        found.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for file in found { add(file) }
    }

    /// `root` without trailing slashes; `.` and `./` become empty (their files print bare).
    private static func trimmed(_ root: String) -> String {
        var path = Substring(root)
        while path.count > 1 && path.hasSuffix("/") { path = path.dropLast() }
        return path == "." ? "" : String(path)
    }
}
