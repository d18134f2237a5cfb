/**
 * Splits what a program writes to its terminal into printable text and control functions,
 * after the state machine of DEC's VT500 series (Paul Williams' "A parser for DEC's
 * ANSI-compatible video terminals", which xterm.js follows too): C0 controls, `ESC`
 * sequences, `CSI` sequences with their numbers, and strings (`OSC`, `DCS`, …) read and
 * dropped. A sequence cut between two writes resumes on the next one.
 */
export interface VtHandler {
  print(text: string): void;
  /** A C0 control: `\r`, `\n`, `\b`, `\t`, … */
  execute(code: number): void;
  /** `ESC` [intermediates] final. */
  esc(final: string, intermediates: string): void;
  /** `CSI` [prefix] params [intermediates] final; an omitted number is 0. */
  csi(final: string, params: number[], prefix: string, intermediates: string): void;
}

const enum State {
  Ground,
  Escape,
  EscapeIntermediate,
  CsiEntry,
  CsiParam,
  CsiIntermediate,
  CsiIgnore,
  /** OSC, DCS, SOS, PM, APC: everything up to the string terminator is dropped. */
  String,
  StringEscape,
}

/** Numbers in a CSI sequence beyond this many, or over this value, are clamped: a hostile stream cannot grow the parser. */
const MAX_PARAMS = 32;
const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
// eslint-disable-next-line no-control-regex -- the controls are what it looks for
const CONTROL = /[\x00-\x1f\x7f]/g;
const MAX_PARAM = 65535;

export class VtParser {
  private state = State.Ground;
  private params: number[] = [];
  private current = -1;
  private prefix = '';
  private intermediates = '';
  private highSurrogate = '';

  constructor(private readonly handler: VtHandler) {}

  write(data: string): void {
    if (this.highSurrogate) {
      data = this.highSurrogate + data;
      this.highSurrogate = '';
    }
    let i = 0;
    while (i < data.length) {
      if (this.state === State.Ground) {
        // A run of text up to the next control, handed over whole: most of a flood of output is this.
        CONTROL.lastIndex = i;
        let next = CONTROL.exec(data)?.index ?? data.length;
        // A character cut in two between writes waits for its second half.
        if (next === data.length && isHighSurrogate(data.charCodeAt(next - 1))) {
          this.highSurrogate = data[--next]!;
          data = data.slice(0, next);
        }
        if (next > i) this.handler.print(data.slice(i, next));
        i = next;
        if (i === data.length) return;
      }
      this.step(data.charCodeAt(i), data[i]!);
      i++;
    }
  }

  private step(code: number, ch: string): void {
    const h = this.handler;
    // CAN and SUB cancel a sequence; ESC starts a new one from anywhere (in a string, it may be the ST's first half).
    if (code === 0x18 || code === 0x1a) return void (this.state = State.Ground);
    if (code === 0x1b) {
      this.state = this.state === State.String ? State.StringEscape : State.Escape;
      this.intermediates = '';
      return;
    }
    switch (this.state) {
      case State.Ground:
        if (code < 0x20) h.execute(code);
        return;
      case State.String:
        if (code === 0x07) this.state = State.Ground;
        return;
      case State.StringEscape:
        // ESC \ ends the string; any other ESC x is a new escape sequence.
        this.state = State.Ground;
        if (ch !== '\\') this.escape(code, ch);
        return;
    }
    // Inside a sequence a C0 control is carried out at once, as on a real terminal.
    if (code < 0x20) return void h.execute(code);
    if (code === 0x7f) return;
    switch (this.state) {
      case State.Escape:
        return this.escape(code, ch);
      case State.EscapeIntermediate:
        if (code <= 0x2f) this.intermediates += ch;
        else {
          this.state = State.Ground;
          h.esc(ch, this.intermediates);
        }
        return;
      case State.CsiEntry:
        if (code >= 0x3c && code <= 0x3f) {
          this.prefix = ch;
          this.state = State.CsiParam;
          return;
        }
        this.state = State.CsiParam;
        return this.csiParam(code, ch);
      case State.CsiParam:
        return this.csiParam(code, ch);
      case State.CsiIntermediate:
        if (code <= 0x2f) this.intermediates += ch;
        else if (code >= 0x40) this.dispatchCsi(ch);
        else this.state = State.CsiIgnore;
        return;
      case State.CsiIgnore:
        if (code >= 0x40) this.state = State.Ground;
        return;
    }
  }

  private escape(code: number, ch: string): void {
    if (ch === '[') {
      this.state = State.CsiEntry;
      this.params = [];
      this.current = -1;
      this.prefix = '';
      this.intermediates = '';
    } else if (ch === ']' || ch === 'P' || ch === 'X' || ch === '^' || ch === '_') this.state = State.String;
    else if (code <= 0x2f) {
      this.intermediates = ch;
      this.state = State.EscapeIntermediate;
    } else {
      this.state = State.Ground;
      this.handler.esc(ch, '');
    }
  }

  private csiParam(code: number, ch: string): void {
    if (code >= 0x30 && code <= 0x39) {
      this.current = Math.min(MAX_PARAM, (this.current < 0 ? 0 : this.current * 10) + code - 0x30);
    } else if (ch === ';' || ch === ':') {
      if (this.params.length < MAX_PARAMS) this.params.push(this.current < 0 ? 0 : this.current);
      this.current = -1;
    } else if (code <= 0x2f) {
      this.intermediates += ch;
      this.state = State.CsiIntermediate;
    } else if (code >= 0x40) this.dispatchCsi(ch);
    else this.state = State.CsiIgnore;
  }

  private dispatchCsi(final: string): void {
    if (this.current >= 0 || this.params.length > 0) {
      if (this.params.length < MAX_PARAMS) this.params.push(this.current < 0 ? 0 : this.current);
    }
    this.state = State.Ground;
    this.handler.csi(final, this.params, this.prefix, this.intermediates);
  }
}
