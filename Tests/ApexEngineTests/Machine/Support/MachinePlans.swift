import ApexCompiler
import ApexDSL
import Foundation
import Testing

/// Plans for machine tests, compiled from YAML that must validate without errors.
enum MachinePlans {
    static func plan(_ yaml: String, path: String = "machine-test.yaml") throws -> Plan {
        let result = WorkflowValidator.validate(data: Data(yaml.utf8), path: path)
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map { "\($0.range.start): \($0.message)" })")
        return try Compiler.compile(result)
    }
}
