/**
 * Sequence rules ({@code kind: pattern}): read from the rules file, compiled to Flink CEP, matched
 * per key in event time. The keys of such a rule, besides the common ones (id, severity, labels):
 *
 * <pre>
 * pattern:
 *   events: {family: auth, orientation: LogOn}  # optional condition: which events enter at all (before keying)
 *   key: destination_user                      # required: an EventFields name; one sequence per value
 *   steps:                                     # required, at least one, matched in order
 *     - name: guess                            # required, [a-z][a-z0-9_]*, unique
 *       where: {outcome: failure}              # optional condition; none = every entering event
 *       times: 5+                              # once (default) | optional | N | N+   (N at least 1)
 *       contiguity: strict                     # relaxed (default) | strict
 *       within: 10m                            # repeated steps only: first to last of this step's events
 *     - name: success
 *       where: {outcome: success}
 *       within_previous: 10m                   # not on the first step: from the previous step's last event
 *     - {name: no_logoff, where: {orientation: LogOff}, absent: true}   # this must NOT come next
 *   within: 20m                                # required, more than 0: first to last event of a match
 *   entity: [source_computer]                  # optional: field(s) whose values are appended to the entity
 *   summary: "{guess.count} failed logons against {key} within {guess.span}"   # optional
 * resolve: {after: 1h}                         # required: after (a duration), when (a condition) or both
 * </pre>
 *
 * <ul>
 *   <li>A <b>condition</b> maps {@code family} (pipeline_run, metric, auth, commerce),
 *       {@code source} or any {@link io.vigil.rules.EventFields} name to a value or a list of
 *       values: every key must match one of its values exactly. Fields with a closed set of values
 *       ({@code outcome}, {@code orientation}, {@code event_type}) refuse values outside it.
 *   <li><b>contiguity: strict</b>: no other entering event may come between this step's events,
 *       nor between the previous step's last event and this step's first (Flink {@code next} and
 *       {@code consecutive}); relaxed skips events that do not fit ({@code followedBy}).
 *   <li><b>absent: true</b>: the step's events must not occur at this point (relaxed: anywhere up
 *       to the next step, Flink {@code notFollowedBy}; strict: not as the very next event,
 *       {@code notNext}). Not first, not repeated, needs a {@code where}. A pattern ending in an
 *       absent step matches when {@code within} has passed without such an event.
 *   <li><b>differs_from_previous: FIELD</b>: the step's events must each have a different value of
 *       FIELD than the matched event before them (alternation, e.g. FAIL then COMPLETE).
 *   <li>Durations ({@code within}, {@code within_previous}, a step's {@code within}) mean "less
 *       than this apart", as Flink's {@code within} does; a step's may not exceed the pattern's.
 *   <li><b>summary</b> placeholders: {@code {key}}, {@code {entity}}, {@code {events}} (matched
 *       events), {@code {span}} (first to last), {@code {FIELD}} (distinct values over the match),
 *       {@code {STEP.count}}, {@code {STEP.span}}, {@code {STEP.FIELD}}. Without one, a summary is
 *       generated: {@code ENTITY: guess x5, then success within 3m}.
 *   <li><b>resolve.when</b> is a condition on later events with the same key value as the match
 *       ({@link io.vigil.cep.PatternSpec#resolvedBy}); {@code resolve.after} counts from the
 *       match's event time.
 * </ul>
 *
 * Events enter only when valid, not late, admitted by {@code events} and carrying the key field.
 * One incident gives one match: see {@link io.vigil.cep.PatternCompiler#skipStrategy()}. A pattern
 * of the shape "a run, then an event" ({@link io.vigil.cep.RunShape}) runs on
 * {@link io.vigil.cep.RunMatchOperator} instead of CEP, with CEP's results.
 */
package io.vigil.cep;
