import { hydrate } from 'preact';
import { Circle, type CircleProps } from './circle.js';

// The circle's page carries its props beside the markup rendered from them; the same component takes over.
const root = document.getElementById('circle');
const props = root?.dataset.props;
if (root && props) hydrate(<Circle {...(JSON.parse(props) as CircleProps)} />, root);
