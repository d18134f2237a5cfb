import { format, readLabels, type Labels } from '../client/labels.js';
import { toVmVsContainer, VM_STEPS } from '../views/vm-vs-container.view-model.js';
import { renderVmVsContainer } from '../views/vm-vs-container.view.js';
import { vmLabels } from './picture-labels.js';

/**
 * `<ll-vm-diagram>`: the VM-versus-container picture, stepped through with Back / Next
 * (or ← / → on the picture): hardware, host OS, hypervisor beside engine, guest OSes
 * beside containers. Each step's sentence is announced, so the picture reads without
 * being seen. A pure view, no engine: the lesson's text is what it illustrates.
 */
export class VmDiagramElement extends HTMLElement {
  private labels: Labels = {};
  private step = 0;
  private parts!: { svg: SVGSVGElement; prev: HTMLButtonElement; next: HTMLButtonElement; caption: HTMLElement; counter: HTMLElement };

  connectedCallback(): void {
    this.labels = readLabels(this);
    this.parts = {
      svg: this.querySelector('svg')!,
      prev: this.querySelector('[data-prev]')!,
      next: this.querySelector('[data-next]')!,
      caption: this.querySelector('[data-caption]')!,
      counter: this.querySelector('[data-counter]')!,
    };
    const start = Number(this.dataset.step ?? 0);
    this.step = Number.isFinite(start) ? Math.max(0, Math.min(VM_STEPS - 1, Math.trunc(start))) : 0;
    this.parts.prev.addEventListener('click', () => this.go(this.step - 1));
    this.parts.next.addEventListener('click', () => this.go(this.step + 1));
    this.parts.svg.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
      event.preventDefault();
      this.go(this.step + (event.key === 'ArrowRight' ? 1 : -1));
    });
    this.parts.prev.hidden = false;
    this.parts.next.hidden = false;
    this.render(0);
  }

  /** Shows step `n` (0-based, clamped). */
  go(n: number): void {
    const next = Math.max(0, Math.min(VM_STEPS - 1, n));
    if (next === this.step) return;
    this.step = next;
    const reduced = matchMedia('(prefers-reduced-motion: reduce)').matches;
    this.render(reduced ? 0 : 300);
  }

  private render(duration: number): void {
    const model = toVmVsContainer(this.step);
    renderVmVsContainer(this.parts.svg, model, { labels: vmLabels(this.labels), duration });
    this.dataset.step = String(this.step);
    this.parts.prev.disabled = this.step === 0;
    this.parts.next.disabled = this.step === VM_STEPS - 1;
    this.parts.counter.textContent = format(this.labels, 'vm.step', { n: this.step + 1, total: VM_STEPS });
    this.parts.caption.textContent = format(this.labels, `vm.step${this.step}`);
  }
}

if (!customElements.get('ll-vm-diagram')) customElements.define('ll-vm-diagram', VmDiagramElement);
