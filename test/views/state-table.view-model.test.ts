import { describe, expect, it } from 'vitest';
import { toStateTables } from '../../src/views/state-table.view-model.js';
import { anImage, aState, lessonState } from './fixtures.js';

describe('toStateTables', () => {
  it('lists images one row per tag, like docker images', () => {
    const { state, app } = lessonState();
    const dangling = anImage({ layers: [state.layers[0]!] });
    const withPort = anImage({ tags: ['localhost:5000/app'], layers: [state.layers[0]!] });
    const t = toStateTables(aState({ images: [...state.images, dangling, withPort], layers: state.layers }));
    expect(t.images.map((r) => [r.repository, r.tag])).toEqual([
      ['busybox', 'latest'],
      ['app', '1'],
      ['app', 'latest'],
      ['web', 'latest'],
      ['<none>', '<none>'],
      ['localhost:5000/app', 'latest'],
    ]);
    const appRow = t.images.find((r) => r.tag === '1')!;
    expect(appRow).toMatchObject({ id: app.id, shortId: app.id.slice(7, 19), size: '1.16MB', layers: 3 });
    expect(new Set(t.images.map((r) => r.key)).size).toBe(t.images.length);
  });

  it('lists layers with their parent, instruction, size and the images that hold them', () => {
    const { state, base } = lessonState();
    const t = toStateTables(state);
    const baseRow = t.layers.find((r) => r.chainId === base[0]!.chainId)!;
    expect(baseRow).toMatchObject({
      parent: '',
      createdBy: 'ADD file:7e9002edaafd4e45 in /',
      size: '1.16MB',
      usedBy: ['busybox:latest', 'app:1', 'web:latest'],
    });
    const child = t.layers.find((r) => r.parent === base[0]!.chainId.slice(7, 19))!;
    expect(child.usedBy).toHaveLength(1);
  });

  it('lists containers with state and the size of their changes', () => {
    const { state, c1, c2 } = lessonState();
    const t = toStateTables(state);
    expect(t.containers).toEqual([
      expect.objectContaining({ id: c1.id, name: 'happy_turing', status: 'running', changes: 4, image: 'app:1' }),
      expect.objectContaining({ id: c2.id, name: 'quiet_lamport', status: 'exited', exitCode: 0, changes: 0 }),
    ]);
  });
});
