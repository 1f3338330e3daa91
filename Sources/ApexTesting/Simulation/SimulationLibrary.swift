/// The workflows the simulator runs: together they use every step kind (`llm`, `http`,
/// `sleep`, `wait`, `set`, `switch`, `parallel`, `foreach`, `workflow` by file, two levels
/// deep, `fail` through a non-retryable error and its `catch`), retries with back-off, an
/// attempt timeout, a loop, and a multi-turn activity that checkpoints.
///
/// Step ids choose the scripted behaviour (``ScriptedActivities``). Waits have long time limits
/// and plain activities none, so that a scenario's outcome never depends on when the simulator
/// moves time: only on the script, which is what lets it be compared with a crash-free run.
enum SimulationLibrary {
    /// The files, by path relative to the library's folder.
    static let files: [(path: String, source: String)] = [
        ("linear.yaml", """
            apex: 1
            name: linear
            llm: {provider: mock}
            input:
              type: object
              properties: {topic: {type: string, default: cats}}
            steps:
              - id: prepare
                set: {count: 1}
              - id: flaky_draft
                llm: {prompt: "Write about ${{ input.topic }}"}
                retry: {max_attempts: 3, initial_interval: 2s}
              - id: nap
                sleep: 5s
              - id: publish
                http: {method: POST, url: "https://publish.example/posts", json: {text: "${{ steps.flaky_draft.output.text }}"}}
              - id: route
                switch:
                  - when: ${{ vars.count > 0 }}
                    next: polish
                  - when: ${{ true }}
                    next: end
              - id: polish
                llm: {prompt: "Polish ${{ steps.flaky_draft.output.text }}"}
            output:
              draft: ${{ steps.flaky_draft.output.text }}
              polished: ${{ steps.polish.output.text ?? "none" }}
            """),
        ("approval.yaml", """
            apex: 1
            name: approval
            llm: {provider: mock}
            steps:
              - id: approve
                wait: {signal: approve, timeout: 24h, schema: {type: object, required: [ok], properties: {ok: {type: boolean}}}}
              - id: note
                wait: {signal: note, timeout: 24h}
              - id: decide
                switch:
                  - when: ${{ steps.approve.output.ok }}
                    next: flaky_ship
                  - when: ${{ true }}
                    next: end
              - id: flaky_ship
                llm: {prompt: "Ship it: ${{ steps.note.output }}"}
                retry: {max_attempts: 3, initial_interval: 1s}
            output:
              approved: ${{ steps.approve.output.ok }}
              note: ${{ steps.note.output }}
              shipped: ${{ steps.flaky_ship.output.text ?? "held" }}
            """),
        ("fanout.yaml", """
            apex: 1
            name: fanout
            llm: {provider: mock}
            steps:
              - id: both
                parallel:
                  left:
                    - id: flaky_left
                      llm: {prompt: left}
                      retry: {max_attempts: 3, initial_interval: 1s}
                  right:
                    - id: fetch
                      http: {method: GET, url: "https://data.example/items"}
                    - id: rest
                      sleep: 3s
              - id: each
                foreach:
                  in: ["a", "b", "c"]
                  as: item
                  concurrency: 2
                  steps:
                    - id: flaky_item
                      llm: {prompt: "Item ${{ item }}"}
                      retry: {max_attempts: 3, initial_interval: 1s}
            output:
              left: ${{ steps.both.output.left }}
              items: ${{ steps.each.output }}
            """),
        ("nested.yaml", """
            apex: 1
            name: nested
            llm: {provider: mock}
            steps:
              - id: call
                workflow: {file: middle.yaml, input: {topic: dogs}}
                retry: {max_attempts: 3, initial_interval: 1s}
              - id: broken_step
                llm: {prompt: "this is refused"}
                catch:
                  - errors: [llm.*]
                    next: recover
              - id: unreachable_after_broken
                set: {never: true}
                next: end
              - id: recover
                set: {recovered: "${{ steps.call.output }}"}
            output: ${{ vars.recovered }}
            """),
        ("middle.yaml", """
            apex: 1
            name: middle
            llm: {provider: mock}
            input: {type: object, properties: {topic: {type: string}}}
            steps:
              - id: flaky_outline
                llm: {prompt: "Outline ${{ input.topic }}"}
                retry: {max_attempts: 3, initial_interval: 1s}
              - id: deeper
                workflow: {file: sub/leaf.yaml}
            output: "${{ steps.flaky_outline.output.text }} + ${{ steps.deeper.output }}"
            """),
        ("sub/leaf.yaml", """
            apex: 1
            name: leaf
            llm: {provider: mock}
            steps:
              - id: wait_a_bit
                sleep: 2s
              - id: leaf_call
                http: {method: GET, url: "https://leaf.example/"}
            output: ${{ steps.leaf_call.output.body }}
            """),
        ("agent.yaml", """
            apex: 1
            name: agent
            llm: {provider: mock}
            steps:
              - id: agent_loop
                llm: {prompt: "Investigate"}
                retry: {max_attempts: 5, initial_interval: 1s}
              - id: hang_tool
                http: {method: GET, url: "https://slow.example/"}
                timeout: 30s
                retry: {max_attempts: 3, initial_interval: 1s}
            output:
              answer: ${{ steps.agent_loop.output.text }}
              tool: ${{ steps.hang_tool.output.body }}
            """),
        ("tools.yaml", """
            apex: 1
            name: tools
            llm: {provider: mock}
            steps:
              - id: plan_release
                agent:
                  prompt: Plan the release.
                  tools:
                    - name: send_release
                      input: {type: object}
                      http: {url: "https://release.example/"}
                      approval: {signal: approve_send}
                retry: {max_attempts: 5, initial_interval: 1s}
              - id: flaky_announce
                llm: {prompt: "Announce ${{ steps.plan_release.output.text }}"}
                retry: {max_attempts: 3, initial_interval: 1s}
            output: ${{ steps.flaky_announce.output.text }}
            """),
        ("loop.yaml", """
            apex: 1
            name: loop
            llm: {provider: mock}
            vars: {target: 3}
            steps:
              - id: start
                set: {round: 0}
              - id: attempt
                set: {round: "${{ vars.round + 1 }}"}
              - id: flaky_try
                llm: {prompt: "Round ${{ vars.round }}"}
                retry: {max_attempts: 3, initial_interval: 1s}
              - id: again
                switch:
                  - when: ${{ vars.round < vars.target }}
                    next: attempt
              - id: done
                set: {final: "${{ steps.flaky_try.output.text }}"}
            output: {rounds: "${{ vars.round }}", last: "${{ vars.final }}"}
            """),
    ]

    /// How many variants of the activities' script there are (a seed plays `seed % scripts`).
    static let scripts: UInt64 = 8

    /// The workflows a scenario starts (the others are their children).
    static let roots = ["linear.yaml", "approval.yaml", "fanout.yaml", "nested.yaml", "agent.yaml", "loop.yaml", "tools.yaml"]
}
