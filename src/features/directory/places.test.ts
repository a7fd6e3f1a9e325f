import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../../../test/helpers/app.js';
import { findPlaces, resolvePlace } from './places.js';

describe('the gazetteer', () => {
  it.each([
    ['a town by name', 'Leeds', 'Leeds, England, United Kingdom', 'GB'],
    ['the biggest of a name', 'Paris', 'Paris, France', 'FR'],
    ['narrowed by a US state', 'Paris, Texas', 'Paris, Texas, United States', 'US'],
    ['narrowed by a state’s letters, in any case', 'paris, tx', 'Paris, Texas, United States', 'US'],
    ['narrowed by a country code', 'Paris, CA', 'Paris, Ontario, Canada', 'CA'],
    ['narrowed by a country’s name', 'London, Canada', 'London, Ontario, Canada', 'CA'],
    ['without accents', 'sao paulo', 'São Paulo, Brazil', 'BR'],
    ['with accents the data lacks', 'Zurich', 'Zürich, Switzerland', 'CH'],
    ['the first words of a longer name', 'New York', 'New York City, New York, United States', 'US'],
    ['a label it made, back to its place', 'Leeds, England, United Kingdom', 'Leeds, England, United Kingdom', 'GB'],
  ])('resolves %s', (_name, text, label, country) => {
    const place = resolvePlace(text);
    expect(place?.label).toBe(label);
    expect(place?.country).toBe(country);
  });

  it('gives coordinates to five decimals', () => {
    expect(resolvePlace('Leeds')).toEqual({
      label: 'Leeds, England, United Kingdom',
      latitude: 53.79648,
      longitude: -1.54785,
      country: 'GB',
    });
  });

  it.each([
    ['a place that does not exist', 'Xyzzyvillebury'],
    ['a country it does not know after the comma', 'Paris, Narnia'],
    ['nothing', '   '],
    ['part of a word', 'Birmingh'],
    ['something very long', 'a'.repeat(500)],
  ])('finds nothing for %s', (_name, text) => {
    expect(resolvePlace(text)).toBeNull();
  });

  it('offers places that start with the text, biggest first', () => {
    const labels = findPlaces('lond', 4).map((p) => p.label);
    expect(labels[0]).toBe('London, England, United Kingdom');
    expect(labels).toContain('London, Ontario, Canada');
    expect(labels).toHaveLength(4);
    expect(findPlaces('Springfield, Illinois', 3).map((p) => p.label)).toEqual([
      'Springfield, Illinois, United States',
    ]);
  });
});

describe('GET /places', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createWorld();
    // A site with no account yet sends every visitor to set it up.
    await world.createUser('Site Admin');
  });
  afterAll(() => world.close());

  it('answers htmx with options for a datalist', async () => {
    const res = await world.agent().get('/places?q=leeds', { 'hx-request': 'true' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('<option value="Leeds, England, United Kingdom"></option>');
  });

  it('reads the field’s own name too, as htmx sends it', async () => {
    const res = await world.agent().get('/places?place=Paris%2C%20Tex', { 'hx-request': 'true' });
    expect(res.body).toContain('Paris, Texas, United States');
    expect(res.body).not.toContain('France');
    const near = await world.agent().get('/places?near=kolk', { 'hx-request': 'true' });
    expect(near.body).toContain('Kolkata, India');
  });

  it('answers JSON when asked for it', async () => {
    const res = await world.agent().get('/places?q=kolkata', { accept: 'application/json' });
    expect(res.json()).toEqual({
      places: [{ label: 'Kolkata, India', latitude: 22.56263, longitude: 88.36304, country: 'IN' }],
    });
  });

  it('is empty, not an error, for too little or too much', async () => {
    for (const q of ['', 'l', 'x'.repeat(300), '%3Cscript%3E']) {
      const res = await world.agent().get(`/places?q=${q}`, { accept: 'application/json' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ places: [] });
    }
  });

  it('is rate-limited', async () => {
    const agent = world.agent();
    let last = 200;
    for (let i = 0; i < 125 && last === 200; i++) last = (await agent.get('/places?q=le')).statusCode;
    expect(last).toBe(429);
  });
});
