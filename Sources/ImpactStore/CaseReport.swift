import ImpactCore
import ImpactDetect

/// What one run adds to a case's report besides the subjects: its inputs, fields, warnings,
/// rejections and record counts (stored in `input`, `field` and `run`).
public struct RunContribution: Sendable, Equatable {
    public var run: Int
    public var inputs: [ImpactReport.Input]
    public var fields: [ImpactReport.Field]
    public var warnings: [ImpactReport.WarningSummary]
    public var rejections: [ImpactReport.Rejection]
    public var recordsWithoutIdentifier: Int
    public var identityBasis: [String: Int]
    public var controllerFields: [String]

    /// The part of a run's own ``ImpactReport`` that is specific to that run.
    public init(run: Int, report: ImpactReport) {
        self.run = run
        inputs = report.inputs
        fields = report.fields
        warnings = report.warnings
        rejections = report.rejections
        recordsWithoutIdentifier = report.recordsWithoutIdentifier
        identityBasis = report.identityBasis
        controllerFields = report.controllerFields
    }

    public init(run: Int, inputs: [ImpactReport.Input], fields: [ImpactReport.Field], warnings: [ImpactReport.WarningSummary],
                rejections: [ImpactReport.Rejection], recordsWithoutIdentifier: Int, identityBasis: [String: Int], controllerFields: [String]) {
        self.run = run
        self.inputs = inputs
        self.fields = fields
        self.warnings = warnings
        self.rejections = rejections
        self.recordsWithoutIdentifier = recordsWithoutIdentifier
        self.identityBasis = identityBasis
        self.controllerFields = controllerFields
    }
}

/// Builds the report of a whole case: the same ``ImpactReport`` (and JSON schema) as one
/// analysis of all its files together.
///
/// Behaviour:
/// - subjects, per-controller and per-category counts and health professionals come from the
///   linker's tally after the run (it holds the stored subjects of earlier runs), controllers
///   from the registry (records carried over);
/// - inputs, warnings and rejections (the first 1,000) are those of every run in order;
///   `records`, `analysed_records`, `rejected_records`, `records_without_identifier` and
///   `identity_basis` are summed over the runs;
/// - a field seen in one run is shown as that run classified it; a field seen in several runs
///   gets the union of their categories, the sums of their value counts, the role and
///   confidence of the run with the most non-empty values, and each run's evidence prefixed
///   with `run N: `; its masked examples are the first 3 distinct ones over the runs that kept
///   any (runs without `--keep-masked-examples` store none), absent when no run kept them;
/// - `complete` is false when any input of any run was not read to its end (its error is in
///   `incomplete_reasons`); the categories shown are those of the case's fields (as
///   ``ImpactReport`` does for one run: every category present in a field except `controller`);
/// - each controller's assessment (ENISA severity, EDPB risk, obligations) is made afresh from
///   the case's counts, as for one analysis.
public enum CaseReport {
    public static func build(tool: String, runs: [RunContribution], tally: SubjectTally,
                             controllers: [ControllerRegistry.Entry]) -> ImpactReport {
        let inputs = runs.flatMap(\.inputs)
        let fields = mergeFields(runs)
        var present = Set<DataCategory>()
        for f in fields { for c in f.categories { if let d = DataCategory(rawValue: c) { present.insert(d) } } }
        present.remove(.controller)
        let shown = present.sorted()
        func byCategory(_ row: [Int]) -> [String: Int] {
            var d: [String: Int] = [:]
            for c in shown { d[c.rawValue] = row[c.index] }
            return d
        }
        var reportControllers: [ImpactReport.Controller] = []
        for (i, e) in controllers.enumerated() {
            reportControllers.append(.init(id: e.id, name: e.name, records: e.records, subjects: tally.subjects[i],
                                           healthProfessionals: tally.healthProfessionals[i],
                                           subjectsByCategory: byCategory(tally.byCategory[i])))
        }
        reportControllers.sort { $0.subjects != $1.subjects ? $0.subjects > $1.subjects : $0.id < $1.id }
        var basis: [String: Int] = [:]
        for r in runs { for (k, v) in r.identityBasis { basis[k, default: 0] += v } }
        var controllerFields: [String] = []
        for r in runs { for f in r.controllerFields where !controllerFields.contains(f) { controllerFields.append(f) } }
        let failed = inputs.filter { !$0.complete }
        let rejected = inputs.reduce(0) { $0 + $1.rejectedRecords }
        let analysed = inputs.reduce(0) { $0 + $1.analysedRecords }
        var report = ImpactReport(
            tool: tool, complete: failed.isEmpty,
            incompleteReasons: failed.map { $0.error ?? "\($0.path): not read to its end" },
            countsAreLowerBound: !failed.isEmpty || rejected > 0,
            records: analysed + rejected, analysedRecords: analysed, rejectedRecords: rejected,
            recordsWithoutIdentifier: runs.reduce(0) { $0 + $1.recordsWithoutIdentifier },
            inputs: inputs, fields: fields,
            subjects: tally.totalSubjects, subjectsAtTwoOrMoreControllers: tally.subjectsAtSeveralControllers,
            subjectsByCategory: byCategory(tally.totalByCategory), healthProfessionals: tally.totalHealthProfessionals,
            identityBasis: basis, controllerFields: controllerFields, controllers: reportControllers,
            warnings: runs.flatMap(\.warnings), rejections: Array(runs.flatMap(\.rejections).prefix(1000)))
        // Severity, risk and obligations per controller from the case's counts, as the
        // analysis report does (incident facts come with `impact draft --incident`).
        let assessed = report
        for i in report.controllers.indices {
            report.controllers[i].assessment = SeverityAssessor.assess(controller: assessed.controllers[i], report: assessed, incident: nil)
        }
        return report
    }

    /// The first 3 distinct masked examples of several runs, in run order; nil when no run
    /// kept examples.
    static func mergeExamples(_ perRun: [[String]?]) -> [String]? {
        let kept = perRun.compactMap { $0 }
        guard !kept.isEmpty else { return nil }
        var merged: [String] = []
        for examples in kept {
            for e in examples where merged.count < 3 && !merged.contains(e) { merged.append(e) }
        }
        return merged
    }

    /// Fields by name in order of first appearance, merged across runs (see the type's doc).
    static func mergeFields(_ runs: [RunContribution]) -> [ImpactReport.Field] {
        var order: [String] = []
        var seen: [String: [(run: Int, field: ImpactReport.Field)]] = [:]
        for r in runs {
            for f in r.fields {
                if seen[f.name] == nil { order.append(f.name) }
                seen[f.name, default: []].append((r.run, f))
            }
        }
        return order.map { name in
            let all = seen[name]!
            if all.count == 1 { return all[0].field }
            var strongest = all[0].field
            for x in all.dropFirst() where x.field.values > strongest.values { strongest = x.field }
            var cats = Set<DataCategory>()
            var unknown: [String] = []
            for x in all {
                for c in x.field.categories {
                    if let d = DataCategory(rawValue: c) { cats.insert(d) } else if !unknown.contains(c) { unknown.append(c) }
                }
            }
            return ImpactReport.Field(
                name: name, role: strongest.role, categories: cats.sorted().map(\.rawValue) + unknown,
                confidence: strongest.confidence,
                evidence: all.flatMap { x in x.field.evidence.map { "run \(x.run): \($0)" } },
                invalidValues: all.reduce(0) { $0 + $1.field.invalidValues },
                values: all.reduce(0) { $0 + $1.field.values },
                maskedExamples: mergeExamples(all.map(\.field.maskedExamples)))
        }
    }
}
