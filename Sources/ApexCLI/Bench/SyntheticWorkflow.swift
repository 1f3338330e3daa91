/// Generates realistic workflows of any size for benchmarks: llm steps with schemas and
/// expressions that read earlier steps, http calls with secrets, `set` steps, and a `switch`
/// every tenth step, so that every validation rule has work to do.
enum SyntheticWorkflow {
    static func yaml(steps count: Int) -> String {
        var text = """
            apex: 1
            name: synthetic-\(count)
            input:
              type: object
              required: [topic]
              properties:
                topic: { type: string, minLength: 1 }
            llm: { provider: openai, model: gpt-4o-mini }
            defaults:
              retry: { max_attempts: 3, initial_interval: 1s }
              timeout: 60s
            steps:

            """
        for index in 0..<count {
            let previous = index == 0 ? "input.topic" : "\(reference(to: index - 1, count: count)) ?? input.topic"
            switch index % 10 {
            case 9 where index + 2 < count:
                text += """
                      - id: s\(index)
                        switch:
                          - when: ${{ length(\(reference(to: index - 1, count: count)) ?? '') > 10 }}
                            next: s\(index + 1)
                          - default: s\(index + 2)

                    """
            case 3:
                text += """
                      - id: s\(index)
                        http:
                          method: POST
                          url: "https://api.example.com/items/${{ input.topic }}"
                          headers: { Authorization: "Bearer ${{ secrets.API_TOKEN }}" }
                          json: { previous: "${{ \(previous) }}" }
                        catch:
                          - errors: [http.*]
                            next: s\(index + 1 < count ? index + 1 : index)

                    """
            case 6:
                text += """
                      - id: s\(index)
                        set:
                          note: "${{ format('{0}: {1}', \(index), \(previous)) }}"

                    """
            default:
                text += """
                      - id: s\(index)
                        llm:
                          prompt: "Continue from: ${{ \(previous) }}"
                          schema:
                            type: object
                            required: [text]
                            properties: { text: { type: string } }
                        retry: { max_attempts: 5, non_retryable: [llm.invalid_request] }

                    """
            }
        }
        return text + "output: ${{ steps.s\(count - 1).output ?? null }}\n"
    }

    /// An expression reading a property that step `index` really has, given its kind.
    private static func reference(to index: Int, count: Int) -> String {
        switch index % 10 {
        case 9 where index + 2 < count: "steps.s\(index).status"
        case 3: "string(steps.s\(index).output.status)"
        case 6: "steps.s\(index).output.note"
        default: "steps.s\(index).output.text"
        }
    }
}
