/**
 * Term ids and document frequencies for the TF-IDF score, shared by every partition of an index (a small
 * partition alone would give every term the same weight). Entries keep sparse term vectors (ids and counts)
 * and are weighted with the current frequencies when scored, so an insert never rewrites older entries.
 */
export class TermStatistics {
  private readonly ids = new Map<string, number>();
  private frequencies = new Int32Array(1024);
  /** Live entries counted in the frequencies. */
  documents = 0;

  /** The sparse vector of a text's terms: ids and counts, ids ascending. */
  vectorOf(terms: readonly string[], intern: boolean): SparseTerms {
    const counts = new Map<number, number>();
    for (const term of terms) {
      let id = this.ids.get(term);
      if (id === undefined) {
        if (!intern)
          id = -1 - counts.size; // a term no entry has: counts in the query's norm only
        else {
          id = this.ids.size;
          this.ids.set(term, id);
          if (id >= this.frequencies.length) {
            const grown = new Int32Array(this.frequencies.length * 2);
            grown.set(this.frequencies);
            this.frequencies = grown;
          }
        }
      }
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const ids = Int32Array.from([...counts.keys()].sort((one, other) => one - other));
    const tf = new Uint16Array(ids.length);
    ids.forEach((id, index) => {
      tf[index] = Math.min(65_535, counts.get(id)!);
    });
    return { ids, tf };
  }

  /** Counts an entry's terms in (`+1`) or out (`-1`) of the document frequencies. */
  count(vector: SparseTerms, change: 1 | -1): void {
    for (const id of vector.ids) if (id >= 0) this.frequencies[id]! += change;
  }

  /** Smoothed inverse document frequency, as scikit-learn computes it. */
  idf(id: number): number {
    const frequency = id >= 0 ? this.frequencies[id]! : 0;
    return Math.log((1 + this.documents) / (1 + frequency)) + 1;
  }

  /** The query side of a cosine: weights by term id, and the norm. */
  weigh(vector: SparseTerms): WeightedTerms {
    const weights = new Map<number, number>();
    let squares = 0;
    vector.ids.forEach((id, index) => {
      const weight = (1 + Math.log(vector.tf[index]!)) * this.idf(id);
      weights.set(id, weight);
      squares += weight * weight;
    });
    return { weights, norm: Math.sqrt(squares) || 1 };
  }

  /** Cosine of a weighted query and an entry's sparse terms under the current frequencies. */
  cosine(query: WeightedTerms, entry: SparseTerms): number {
    let dot = 0;
    let squares = 0;
    for (let index = 0; index < entry.ids.length; index++) {
      const id = entry.ids[index]!;
      const weight = (1 + Math.log(entry.tf[index]!)) * this.idf(id);
      squares += weight * weight;
      const other = query.weights.get(id);
      if (other !== undefined) dot += weight * other;
    }
    return squares === 0 ? 0 : dot / (Math.sqrt(squares) * query.norm);
  }
}

/** Term ids (ascending) and their counts in one text. */
export interface SparseTerms {
  ids: Int32Array;
  tf: Uint16Array;
}

export interface WeightedTerms {
  weights: Map<number, number>;
  norm: number;
}
