/** A sweep worker thread (src/sweep/jobs.ts): the catalogue's properties, by name. */
import { propertyNamed } from '../../properties/catalogue.js';
import { serveSweepJobs } from '../sweep/worker.js';

serveSweepJobs(propertyNamed);
