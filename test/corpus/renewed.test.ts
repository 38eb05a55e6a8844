import { itFindsEveryPlanted } from './findsPlanted.js';

itFindsEveryPlanted('renewed');
