/**
 * Term ids and document frequencies for the TF-IDF score, shared by every partition of an index (a small
 * partition alone would give every term the same weight). Entries keep sparse term vectors (ids and counts)
 * and are weighted with the current frequencies when scored, so an insert never rewrites older entries.
 */
export class TermStatistics {
  private readonly ids = new Map<string, number>();
  private frequencies = new Int32Array(1024);
  /** `log(1 + frequency)` of every term, kept with the frequencies so a score never computes a logarithm a term. */
  private logFrequencies = new Float64Array(1024);
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
          if (id >= this.frequencies.length) this.grow();
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
    for (const id of vector.ids) {
      if (id < 0) continue;
      this.frequencies[id]! += change;
      this.logFrequencies[id] = Math.log(1 + this.frequencies[id]!);
    }
  }

  /** Smoothed inverse document frequency, as scikit-learn computes it. */
  idf(id: number): number {
    const frequency = id >= 0 ? this.frequencies[id]! : 0;
    return Math.log((1 + this.documents) / (1 + frequency)) + 1;
  }

  /** The query side of a cosine: its ids (ascending, as in the entries), their weights, and the norm. */
  weigh(vector: SparseTerms): WeightedTerms {
    const weights = new Float64Array(vector.ids.length);
    let squares = 0;
    vector.ids.forEach((id, index) => {
      const weight = (1 + Math.log(vector.tf[index]!)) * this.idf(id);
      weights[index] = weight;
      squares += weight * weight;
    });
    return { ids: vector.ids, weights, norm: Math.sqrt(squares) || 1 };
  }

  /**
   * Cosine of a weighted query and an entry's sparse terms (positions `start` to `end` of `entry`, all by default)
   * under the current frequencies: one merge of the two ascending id lists, the entry's weights from the kept
   * logarithms.
   */
  cosine(query: WeightedTerms, entry: SparseTerms, start = 0, end = entry.ids.length): number {
    const logDocuments = Math.log(1 + this.documents) + 1;
    const { ids, tf } = entry;
    const queryIds = query.ids;
    let other = 0;
    let dot = 0;
    let squares = 0;
    for (let index = start; index < end; index++) {
      const id = ids[index]!;
      const count = tf[index]!;
      const idf = logDocuments - this.logFrequencies[id]!;
      const weight = count === 1 ? idf : (1 + Math.log(count)) * idf;
      squares += weight * weight;
      while (other < queryIds.length && queryIds[other]! < id) other++;
      if (other < queryIds.length && queryIds[other] === id) dot += weight * query.weights[other]!;
    }
    return squares === 0 ? 0 : dot / (Math.sqrt(squares) * query.norm);
  }

  private grow(): void {
    const frequencies = new Int32Array(this.frequencies.length * 2);
    frequencies.set(this.frequencies);
    this.frequencies = frequencies;
    const logFrequencies = new Float64Array(frequencies.length);
    logFrequencies.set(this.logFrequencies);
    this.logFrequencies = logFrequencies;
  }
}

/** Term ids (ascending) and their counts in one text. */
export interface SparseTerms {
  ids: Int32Array;
  tf: Uint16Array;
}

/** A query's terms: ids ascending (unknown terms negative, first), their TF-IDF weights, and the norm. */
export interface WeightedTerms {
  ids: Int32Array;
  weights: Float64Array;
  norm: number;
}
