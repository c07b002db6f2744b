// Shared by the grouping benches (bench/loghub.mjs, bench/synth.mjs).

/**
 * logparser/utils/evaluator.py get_accuracy on two parallel arrays of labels: a line is correct
 * when the predicted group that holds it contains exactly the lines of its true group.
 */
export function groupingAccuracy(truth, predicted) {
  const truthSize = new Map();
  for (const t of truth) truthSize.set(t, (truthSize.get(t) ?? 0) + 1);
  const byPred = new Map();
  predicted.forEach((p, i) => {
    let a = byPred.get(p);
    if (!a) byPred.set(p, (a = []));
    a.push(i);
  });
  let correct = 0;
  const wrong = [];
  for (const [p, idx] of byPred) {
    const t0 = truth[idx[0]];
    const pure = idx.every((i) => truth[i] === t0);
    if (pure && idx.length === truthSize.get(t0)) correct += idx.length;
    else wrong.push({ predicted: p, lines: idx });
  }
  return { accuracy: correct / truth.length, groupsFound: byPred.size, groupsTrue: truthSize.size, wrong };
}
