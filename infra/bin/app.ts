// Rollway's CDK app: `npx cdk synth` / `npx cdk deploy` (cdk.json runs this file with tsx).
import { buildRollwayApp } from '../rollway-app.js';

buildRollwayApp().app.synth();
