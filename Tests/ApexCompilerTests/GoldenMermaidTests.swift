import ApexCompiler
import Testing

/// Every `Fixtures/<name>.yaml` compiles to the Mermaid of `Fixtures/<name>.mmd`.
@Suite struct GoldenMermaidTests {
    @Test(arguments: Fixtures.names)
    func compiledPlanRendersAsItsGolden(name: String) throws {
        let plan = try Fixtures.plan(named: name)
        try Fixtures.expectGolden(plan.mermaid, name: name, suffix: ".mmd")
    }

    @Test func everyShapeHasAFixture() {
        let shapes = ["linear", "if_skip", "switch_default", "switch_no_default", "catch", "loop", "parallel", "foreach", "nested_parallel_in_foreach", "fail", "expressions", "agent"]
        #expect(Set(shapes).isSubset(of: Fixtures.names))
    }
}
