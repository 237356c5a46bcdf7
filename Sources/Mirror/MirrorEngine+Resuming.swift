extension MirrorEngine {
    /// Plans with `planning` and executes the plan; when the target fails for a while (``MirrorResumption``), plans
    /// again from what the archive recorded and continues after the policy's wait on `clock`, announcing it through
    /// `progress`. The counts are those of every attempt together (a failed attempt's from what it recorded).
    public func run<C: Clock>(
        planning: () async throws -> MirrorPlan, resumption: MirrorResumption = .init(), clock: C,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> Result where C.Duration == Duration {
        var resumption = resumption
        var total = Result()
        var plan = try await planning()
        while true {
            let before = try await progressMark(plan)
            do {
                total.add(try await run(plan, progress: progress))
                return total
            } catch {
                guard MirrorResumption.isTransient(error) else { throw error }
                plan = try await planning()
                let now = try await progressMark(plan)
                total.add(now.done(since: before))
                switch resumption.failed(error, progressed: now.made > before.made || now.left < before.left) {
                case .stop: throw error
                case .resume(let wait):
                    let cause = (error as? MirrorError)?.underlying ?? error
                    progress(
                        "\(cause). The target may be down or overloaded: continuing in \(wait.components.seconds) s "
                            + "(\(resumption.failuresInARow) of \(resumption.maxResumes) in a row)")
                    try await clock.sleep(for: wait)
                }
            }
        }
    }

    /// How far a mirror is, read from the archive and a fresh plan.
    struct ProgressMark {
        /// Objects recorded on the target by kind (`role`, `channel`, `webhook`, `emoji`, `sticker`; not the intents
        /// written before each attempt).
        var kinds: [String: Int]
        /// Messages the plan leaves to send.
        var pendingMessages: Int
        /// Objects to make and messages to send.
        var left: Int

        /// Objects recorded in all.
        var made: Int { kinds.values.reduce(0, +) }

        /// What was done between `earlier` and this mark, as a run's counts.
        func done(since earlier: Self) -> Result {
            func grown(_ kind: String) -> Int { max(0, (kinds[kind] ?? 0) - (earlier.kinds[kind] ?? 0)) }
            var result = Result()
            result.roles = grown("role")
            result.channels = grown("channel")
            result.expressions = grown("emoji") + grown("sticker")
            result.messages = max(0, earlier.pendingMessages - pendingMessages)
            return result
        }
    }

    /// The mark of `plan` (planned from what the archive recorded).
    func progressMark(_ plan: MirrorPlan) async throws -> ProgressMark {
        var kinds: [String: Int] = [:]
        for mapping in try await store.mirrorObjectMappings(target: plan.target)
        where !mapping.kind.hasPrefix("intent:") && mapping.part == 0 {
            kinds[mapping.kind, default: 0] += 1
        }
        let left =
            plan.pendingMessages + plan.roles.filter { $0.targetId == nil }.count
            + plan.channels.filter { $0.targetId == nil }.count + plan.expressions.filter { $0.targetId == nil }.count
        return ProgressMark(kinds: kinds, pendingMessages: plan.pendingMessages, left: left)
    }
}

extension MirrorEngine.Result {
    /// Adds the counts of another run.
    mutating func add(_ other: Self) {
        roles += other.roles
        channels += other.channels
        expressions += other.expressions
        messages += other.messages
        recovered += other.recovered
    }
}
