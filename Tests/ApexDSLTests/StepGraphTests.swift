import Foundation
import Testing

@testable import ApexDSL

@Suite struct StepGraphTests {
    private func steps(_ yaml: String) throws -> [Step] {
        let loaded = WorkflowSourceLoader.load(data: Data(("apex: 1\nname: t\nsteps:\n" + yaml).utf8), path: "t.yaml")
        var parser = WorkflowParser(source: try #require(loaded.source), diagnostics: loaded.diagnostics)
        return parser.parse(try #require(loaded.root)).steps
    }

    @Test func followsNextSwitchAndCatch() throws {
        let graph = StepGraph(steps: try steps("""
              - {id: a, sleep: 1s, catch: [{errors: ['*'], next: d}]}
              - {id: b, switch: [{when: x, next: d}, {default: a}]}
              - {id: c, sleep: 1s, next: end}
              - {id: d, fail: {error: E}}
            """))
        #expect(graph.successors == [[1, 3], [3, 0], [4], [], []])
        #expect(graph.reachable() == [true, true, false, true, false])
    }

    @Test func computesDominatorsWithLoops() throws {
        let graph = StepGraph(steps: try steps("""
              - {id: a, sleep: 1s}
              - {id: b, switch: [{when: x, next: d}]}
              - {id: c, sleep: 1s}
              - {id: d, switch: [{when: y, next: a}]}
            """))
        let idom = graph.immediateDominators()
        #expect(idom == [nil, 0, 1, 1, 3])
        #expect(StepGraph.dominates(1, 4, idom: idom))
        #expect(!StepGraph.dominates(2, 3, idom: idom))
    }

    @Test func theDominatorTreeAnswersAsTheDominatorChainDoes() throws {
        let graphs = [
            StepGraph(steps: try steps("""
                  - {id: a, sleep: 1s, catch: [{errors: ['*'], next: d}]}
                  - {id: b, switch: [{when: x, next: d}, {default: a}]}
                  - {id: c, sleep: 1s, next: end}
                  - {id: d, fail: {error: E}}
                """)),
            StepGraph(steps: try steps("""
                  - {id: a, sleep: 1s}
                  - {id: b, switch: [{when: x, next: d}]}
                  - {id: c, sleep: 1s}
                  - {id: d, switch: [{when: y, next: a}]}
                  - {id: e, switch: [{when: z, next: g}]}
                  - {id: f, sleep: 1s, next: end}
                  - {id: g, sleep: 1s}
                """)),
            StepGraph(steps: []),
        ]
        for graph in graphs {
            let idom = graph.immediateDominators()
            let tree = DominatorTree(idom: idom)
            for a in 0...graph.count {
                for b in 0...graph.count {
                    #expect(tree.dominates(a, b) == StepGraph.dominates(a, b, idom: idom), "\(a) dominates \(b)")
                }
            }
        }
    }

    @Test func handlesTenThousandStepsQuickly() {
        let many = (0..<10_000).map { i in
            Step(id: Located("s\(i)", at: .fileStart), action: .sleep(.duration(Located(.seconds(1), at: .fileStart))), actionRange: .fileStart, range: .fileStart)
        }
        let graph = StepGraph(steps: many)
        let idom = graph.immediateDominators()
        #expect(idom[10_000] == 9_999)
    }
}
