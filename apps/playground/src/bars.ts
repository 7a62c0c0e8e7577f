/** Ten bars, one per digit, whose lengths show the model's class probabilities. */

export interface Bars {
  /** Shows `probabilities` (ten, summing to 1), the most likely digit highlighted; null clears. */
  show(probabilities: readonly number[] | null): void;
}

export function probabilityBars(container: HTMLElement): Bars {
  const rows = Array.from({ length: 10 }, (_, digit) => {
    const row = document.createElement('div');
    row.className = 'bar';
    row.dataset.testid = `bar-${digit}`;
    row.innerHTML = `<span class="digit">${digit}</span><span class="track"><span class="fill"></span></span><span class="value"></span>`;
    container.append(row);
    return { row, fill: row.querySelector<HTMLElement>('.fill')!, value: row.querySelector<HTMLElement>('.value')! };
  });
  return {
    show(probabilities) {
      const best = probabilities ? probabilities.indexOf(Math.max(...probabilities)) : -1;
      rows.forEach(({ row, fill, value }, digit) => {
        const p = probabilities?.[digit] ?? 0;
        fill.style.width = `${(p * 100).toFixed(1)}%`;
        value.textContent = probabilities ? `${(p * 100).toFixed(1)}%` : '';
        row.classList.toggle('best', digit === best);
      });
    },
  };
}
